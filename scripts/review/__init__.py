"""The monthly business review: a self-contained HTML page (and its PDF) built from the BI marts.

Modules, in the order a page is made:
- `data`: read-only queries against the published BI database (schema `marts`, `core` dims);
- `formatting`: numbers as a reader wants them (units, %, thousands separators);
- `charts`: matplotlib figures rendered to inline SVG (no JavaScript, no network);
- `sections`: one HTML fragment per section of the review;
- `template`: the page around the sections (styles inline, print rules);
- `browser`: headless Chromium for the PDF and the screenshot.
"""
