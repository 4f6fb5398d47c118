"""'Stand van zaken': the report per trajectory and per layer, as a print-ready page and a PDF."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from tracker import demo
from tracker.extensions import db
from tracker.models import Trajectory

CASE = "Preventie van pesten%"


def _pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def case(app, client):
    demo.load()
    db.session.commit()
    trajectory = db.session.scalar(sa.select(Trajectory).where(Trajectory.name.like(CASE)))
    client.post("/inloggen", data={"email": "anouk@demo.betersamen.nl", "password": demo.DEMO_PASSWORD})
    return trajectory


def test_demo_report_smoke(client, case):
    html = client.get(f"/trajecten/{case.id}/stand-van-zaken")
    assert html.status_code == 200
    open("/tmp/report-demo.html", "w").write(html.get_data(as_text=True))
    pdf = client.get(f"/trajecten/{case.id}/stand-van-zaken.pdf?laag=bestuur")
    assert pdf.status_code == 200, pdf.get_data(as_text=True)[:3000]
    open("/tmp/report-demo.pdf", "wb").write(pdf.data)
    print(_pdf_text(pdf.data))
