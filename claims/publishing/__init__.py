"""The public record and everything built from it: what a published verdict freezes (`build`), the
record's schema and reader (`record`), the public pages' reads (`pages`), ClaimReview (`claimreview`),
the shared page cache (`cache`) and the sitemap (`sitemaps`). See docs/architecture.md, "The public side"."""
