"""The summary as a tagged PDF (PDF/UA-1), made by WeasyPrint from the print template."""

import mimetypes

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from . import frame_fields, letter_date
from .html import LOGO_URL

# WeasyPrint resolves relative URLs against this base; only its /static/ paths are served.
BASE_URL = "https://tracker.invalid/"
STATIC_PREFIX = BASE_URL + "static/"


class StaticOnlyFetcher(URLFetcher):
    """Serve our own static files, and the letterhead's logo when given (`logo`: bytes and
    content type), and refuse every other URL (no network, no local files)."""

    def __init__(self, *args, logo=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.logo = logo

    def fetch(self, url, headers=None):
        if url == BASE_URL + LOGO_URL and self.logo is not None:
            body, content_type = self.logo
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})
        if not url.startswith(STATIC_PREFIX) or ".." in url:
            raise ValueError(f"Refused to fetch {url}: only the tracker's static files are served.")
        path = finders.find(url[len(STATIC_PREFIX) :].split("?")[0].split("#")[0])
        if not path:
            raise ValueError(f"No static file at {url}.")
        with open(path, "rb") as handle:
            body = handle.read()
        mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": mime_type})


def render_pdf_html(summary):
    with translation.override("nl"):
        context = {
            "summary": summary,
            "fields": frame_fields(summary),
            "created": letter_date(summary).isoformat(),
            "subject": f"Voortgangsbrief over de periode van {summary.period_text}",
        }
        return render_to_string("measures/summary_pdf.html", context)


def render_pdf(summary):
    """Return the summary as the bytes of a tagged PDF, with the letter's frame and its
    properties (title, subject, author: the department; created: the letter's date)."""
    frame = summary.frame
    logo = (frame.logo, frame.logo_type) if frame.logo else None
    html = HTML(
        string=render_pdf_html(summary),
        base_url=BASE_URL,
        url_fetcher=StaticOnlyFetcher(logo=logo),
    )
    return html.write_pdf(pdf_variant="pdf/ua-1")
