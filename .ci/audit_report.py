#!/usr/bin/env python3
"""Reads pip-audit's JSON report of requirements.lock and says plainly what was audited.

    audit_report.py REPORT.json EXIT_STATUS STDERR_FILE

Exit status: 0 when every package in the lock was checked and none has a known vulnerability;
1 when a vulnerability was found (CI fails); 3 when the audit did not run, or did not cover every
package (the vulnerability service could not be reached): the caller must not call that a pass.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DID_NOT_RUN = 3


def banner(text: str) -> None:
    line = "!" * 78
    print(f"{line}\n!! {text}\n{line}")


def main(report_path: str, status: str, stderr_path: str) -> int:
    report = Path(report_path)
    try:
        dependencies = json.loads(report.read_text(encoding="utf-8"))["dependencies"]
    except (OSError, ValueError, KeyError):
        banner(f"pip-audit DID NOT RUN (exit status {status}); no package was audited.")
        err = Path(stderr_path).read_text(encoding="utf-8", errors="replace").strip().splitlines()
        for line in err[-3:]:
            print(f"   {line}")
        return DID_NOT_RUN

    skipped = [d for d in dependencies if d.get("skip_reason")]
    audited = [d for d in dependencies if not d.get("skip_reason")]
    vulnerable = [d for d in audited if d.get("vulns")]
    total = len(dependencies)

    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            print(
                f"VULNERABLE: {dep['name']} {dep.get('version', '?')}: {vuln.get('id')} (fixed in: {fixes})"
            )
    if vulnerable:
        print(f"pip-audit: {len(vulnerable)} of {len(audited)} audited packages have known vulnerabilities.")
        if skipped:
            print(f"(and {len(skipped)} of {total} packages could not be audited at all)")
        return 1
    if not audited:
        banner(
            f"pip-audit DID NOT RUN: all {total} packages in requirements.lock were skipped "
            "(the vulnerability service could not be reached)."
        )
        print(f"   first reason: {skipped[0]['skip_reason']}" if skipped else "   the lock lists no packages")
        return DID_NOT_RUN
    if skipped:
        banner(
            f"pip-audit DID NOT FULLY RUN: audited {len(audited)} of {total} packages, "
            f"{len(skipped)} skipped."
        )
        for dep in skipped[:10]:
            print(f"   skipped: {dep['skip_reason']}")
        return DID_NOT_RUN
    print(
        f"pip-audit: audited {len(audited)} of {total} packages in requirements.lock; "
        "no known vulnerabilities."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
