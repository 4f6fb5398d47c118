"""Every page of the demo reads on a phone: nothing scrolls sideways at 320 CSS px (WCAG 1.4.10).
Wide tables may scroll, but only inside their own labelled, focusable region."""

from __future__ import annotations

import re

import pytest

from .conftest import log_in

START = ["/", "/trajecten", "/mijn-werk", "/acties", "/account", "/organisaties"]
# Downloads (exports, feeds, PDFs) are no pages to read; logging out would end the crawl.
DOWNLOAD = re.compile(r"\.(csv|xlsx|ics|json|pdf)(\?|$)")
OVERFLOW = "document.documentElement.scrollWidth > document.documentElement.clientWidth"
UNLABELLED_SCROLL_REGIONS = """() => [...document.querySelectorAll('.app-scroll')]
  .filter(el => el.getAttribute('role') !== 'region' || el.tabIndex !== 0
    || !(el.getAttribute('aria-labelledby') || '').split(' ')
      .every(id => document.getElementById(id))).length"""


def crawl(page, base: str, limit: int = 60) -> dict[str, tuple[bool, int]]:
    """Visit the pages reachable from the start pages (one per URL shape) and note, per page,
    whether it scrolls sideways and how many scroll regions lack a role, focus or name."""
    seen: dict[str, tuple[bool, int]] = {}
    queue = list(START)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        shape = re.sub(r"\d+", "N", url.split("#")[0].split("?")[0])
        if shape in seen or DOWNLOAD.search(url) or "uitloggen" in url:
            continue
        response = page.goto(base + url)
        assert response is not None and response.status < 400, url
        seen[shape] = (page.evaluate(OVERFLOW), page.evaluate(UNLABELLED_SCROLL_REGIONS))
        queue += page.eval_on_selector_all("a[href^='/']", "els => els.map(e => e.getAttribute('href'))")
    return seen


@pytest.mark.parametrize("email", ["anouk@demo.betersamen.nl", "beheer@demo.betersamen.nl"])
def test_no_page_scrolls_sideways_at_320_px(browser, demo_site, email):
    context = browser.new_context(locale="nl-NL", viewport={"width": 320, "height": 720})
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, demo_site, email)
    pages = crawl(page, demo_site)
    context.close()
    assert len(pages) > 15
    assert [url for url, (overflows, _) in pages.items() if overflows] == []
    assert [url for url, (_, unlabelled) in pages.items() if unlabelled] == []


MENU_PAGES = ["/trajecten/1", "/trajecten/1/fasen/2", "/trajecten/1/plannen", "/trajecten/1/bewerken"]
SMALL_MENU_TARGETS = """() => [...document.querySelectorAll('.app-nav a, .app-nav button, .app-subnav a')]
  .filter(el => { const r = el.getBoundingClientRect(); return r.width < 24 || r.height < 24; }).length"""


def test_the_trajectory_menu_fits_one_line_at_1366_px_with_targets_of_24_px(browser, demo_site):
    context = browser.new_context(locale="nl-NL", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, demo_site, "anouk@demo.betersamen.nl")
    for url in MENU_PAGES:
        page.goto(demo_site + url)
        tops = page.eval_on_selector_all(".app-subnav__groups > li > a", "els => els.map(e => e.offsetTop)")
        assert len(tops) == 5 and len(set(tops)) == 1, (url, tops)
        assert page.evaluate(SMALL_MENU_TARGETS) == 0, url
    context.close()


def test_the_pagers_of_the_plan_page_and_of_what_is_behind_fit_320_px(app, browser, demo_site):
    """With more than a page of actions, the plan page (its cycle's actions and its archive), the
    action list of one cycle and 'wat loopt achter' show their pagers without scrolling sideways."""
    import sqlalchemy as sa

    from tracker.extensions import db
    from tracker.models import Action, ActionStatus, Membership, PdcaStage, Plan, PlanKind, Role, User, utcnow

    lead = db.session.scalar(sa.select(User).where(User.email == "anouk@demo.betersamen.nl"))
    member = db.session.scalar(
        sa.select(Membership).where(Membership.user_id == lead.id, Membership.role == Role.PROJECTLEIDER)
    )
    plan = db.session.scalar(
        sa.select(Plan).where(Plan.trajectory_id == member.trajectory_id, Plan.kind == PlanKind.EXTERN)
    )
    cycle = plan.current_cycle
    rows = [
        {
            "trajectory_id": plan.trajectory_id,
            "plan_id": plan.id,
            "cycle_id": cycle.id,
            "title": f"Een actie met een lange titel om de breedte te toetsen {i}",
            "owner_id": member.id,
            "status": ActionStatus.GEBLOKKEERD,
            "stage": PdcaStage.DO,
            "archived_at": utcnow() if i % 3 == 0 else None,
        }
        for i in range(180)
    ]
    db.session.execute(sa.insert(Action), rows)
    db.session.commit()
    context = browser.new_context(locale="nl-NL", viewport={"width": 320, "height": 720})
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, demo_site, "anouk@demo.betersamen.nl")
    t = plan.trajectory_id
    for url in (
        f"/trajecten/{t}/plannen/{plan.id}?pagina_acties=2",
        f"/trajecten/{t}/plannen/{plan.id}?pagina_archief=2",
        f"/trajecten/{t}/acties?plan={plan.id}&cyclus={cycle.number}&pagina=2",
        f"/trajecten/{t}/achter?laag={member.layer.value}&pagina=2",
        "/achter?pagina=2",
    ):
        response = page.goto(demo_site + url)
        assert response is not None and response.status == 200, url
        assert page.locator("nav.app-pager").count() >= 1, url
        assert not page.evaluate(OVERFLOW), url
        assert page.evaluate(UNLABELLED_SCROLL_REGIONS) == 0, url
    context.close()
