"""The JSON API (django-ninja), mounted at /api/: one NinjaAPI (`main.api`) and a router per concern.

* `public` — published data, read by anyone, from the same frozen records as the public pages;
* `factcheck_tools` — `GET /api/v1alpha1/claims:search`, shaped like Google's Fact Check Tools API;
* `staff` — writes for integrations, with a person's API token, through the same services as the screens.

See docs/architecture.md, "The JSON API".
"""
