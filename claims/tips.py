"""Tips in the background: matched against the claims on file, grouped with the open tips that ask the same
thing, and their senders told when a verdict is published.

All of it is system work run by the worker (claims.tasks), like the import pipeline: it writes its own rows,
as nobody. What staff decide — accepting or dismissing a group, taking a tip out of its group or moving
it — are services in claims.services. See docs/architecture.md, "Tips from the public".

- `tip_match` runs once per tip, when it arrives (enqueued on commit by `services.tip_create`): it stores
  the closest claims (`TipMatch`, at or above MATCH_SUGGEST_THRESHOLD, with the tip's sentence that
  matched) and puts the tip into the group of the most alike open tip when their similarity reaches
  TIP_GROUP_THRESHOLD. It is idempotent (`matched_at`), and never moves a tip a fact-checker placed.
- `tell_senders` runs when a claim's verdict is published (enqueued on commit by the publish transition)
  or a group is linked to a claim already published: each accepted tip on the claim whose sender asked to
  be told and whose contact is still held gets one email through the outbox, once (`told_at`).
- `tips_catch_up`, on a schedule, does both for what waited while the broker was down.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from claims.importing import external
from claims.inbox import locate_sentence
from claims.languages import site_language
from claims.models import Claim, Tip, TipGroup, TipMatch, Verdict
from claims.notifications import queue_email, single_line
from claims.publishing.record import read_record

# How many claims on file a tip shows at most (the closest first).
TIP_CLAIM_MATCHES = 3
# A tip the worker has not matched this long after it arrived is matched by the sweep.
CATCH_UP_AFTER = timedelta(minutes=2)


# --- Matching and grouping -----------------------------------------------------------------------------


def tip_match_by_id(tip_id: int) -> None:
    """The worker's entry (claims.tasks.match_tip)."""
    tip = Tip.objects.filter(pk=tip_id).first()
    if tip is not None:
        tip_match(tip=tip)


def tip_match(*, tip: Tip) -> Tip:
    """Store the tip's closest claims and group it with the most alike open tip. Once per tip: a tip
    matched already, or decided meanwhile, is left as it is."""
    if tip.matched_at is not None or tip.state != Tip.State.NEW:
        return tip
    from claims.matching.store import claim_index  # the matcher loads only in a process that matches

    found = [
        match
        for match in claim_index().match(tip.text, top=TIP_CLAIM_MATCHES, kinds=["claim"])
        if match.similarity >= settings.MATCH_SUGGEST_THRESHOLD
    ]
    alike, similarity = closest_open_tip(tip)
    with transaction.atomic():
        locked = Tip.objects.select_for_update().get(pk=tip.pk)
        if locked.matched_at is not None or locked.state != Tip.State.NEW:
            return locked
        live = set(
            Claim.objects.exclude(state=Claim.State.DISMISSED)
            .filter(pk__in=[int(m.doc_id) for m in found])
            .values_list("pk", flat=True)
        )
        TipMatch.objects.filter(tip=locked).delete()
        TipMatch.objects.bulk_create(
            TipMatch(
                tip=locked,
                claim_id=int(match.doc_id),
                similarity=match.similarity,
                strong=match.similarity >= settings.MATCH_STRONG_THRESHOLD,
                sentence=_sentence_as_sent(locked.text, match.sentence),
            )
            for match in found
            if int(match.doc_id) in live
        )
        if alike is not None and similarity >= settings.TIP_GROUP_THRESHOLD:
            _join(locked, alike.group_id)
        locked.matched_at = timezone.now()
        locked.save(update_fields=["matched_at"])
    # Other organisations' fact-checks the tip asks about, shown under it with a link to theirs.
    external.record_external_matches(
        text=locked.text, tip=locked, sentence_of=lambda matched: _sentence_as_sent(locked.text, matched)
    )
    return locked


def closest_open_tip(tip: Tip) -> tuple[Tip | None, float]:
    """The open tip (in another group) most like `tip`, and their similarity — the matcher's, with the open
    tips indexed as documents of kind "tip" (their embeddings stored once, as the claims' are)."""
    from claims.matching.index import Document, Index
    from claims.matching.store import load_vectors, new_embedding_cache, store_vectors

    others = {other.pk: other for other in Tip.objects.filter(state=Tip.State.NEW).exclude(group_id=tip.group_id)}
    if not others:
        return None, 0.0
    documents = [Document(id=pk, text=other.text, kind="tip") for pk, other in others.items()]
    index = Index(embeddings=new_embedding_cache())
    load_vectors(index.embeddings, documents)
    index.add(documents)
    store_vectors(index.embeddings, documents)
    best = next(iter(index.match(tip.text, top=1, kinds=["tip"])), None)
    if best is None:
        return None, 0.0
    return others[int(best.doc_id)], best.similarity


def _join(tip: Tip, group_id: int) -> None:
    """Move a tip that is alone in its group into `group_id`, if that group is still open (both locked, in
    primary-key order, so two tips that arrive together cannot swap groups)."""
    groups = {g.pk: g for g in TipGroup.objects.select_for_update().filter(pk__in=sorted({tip.group_id, group_id}))}
    target = groups.get(group_id)
    if tip.placed_at is not None or target is None or target.state != TipGroup.State.NEW:
        return
    if Tip.objects.filter(group_id=tip.group_id).exclude(pk=tip.pk).exists():
        return  # another tip joined this one meanwhile: they are grouped already
    old_group_id = tip.group_id
    tip.group_id = group_id
    tip.save(update_fields=["group"])
    TipGroup.objects.filter(pk=old_group_id).delete()


def _sentence_as_sent(text: str, matched: str) -> str:
    """The tip's own sentence that the matcher's (cleaned) sentence came from."""
    start, end = locate_sentence(text, matched)
    return text[start:end]


# --- Telling the senders ---------------------------------------------------------------------------------


def can_be_told(tip: Tip) -> bool:
    """Asked to be told, and an email address to tell them at is still held."""
    if not tip.wants_answer or not tip.contact or tip.contact_deleted_at is not None:
        return False
    try:
        validate_email(tip.contact)
    except ValidationError:
        return False
    return True


def tell_senders(claim_id: int) -> int:
    """Queue one email to each sender of an accepted tip on the claim who asked to be told and whose contact
    is still held, once the claim has a published verdict. Idempotent: a sender is told once (`told_at`);
    concurrent runs wait for each other's row locks and find the tips told."""
    verdict = (
        Verdict.objects.filter(claim_id=claim_id, state=Verdict.State.PUBLISHED, claim__removed_at__isnull=True)
        .select_related("claim")
        .first()
    )
    if verdict is None or verdict.published_record is None:
        return 0
    record = read_record(verdict.published_record)
    path = reverse("claim", args=[verdict.claim.slug])
    told = 0
    with transaction.atomic():
        waiting = Tip.objects.select_for_update().filter(
            claim_id=claim_id, state=Tip.State.ACCEPTED, wants_answer=True, told_at__isnull=True
        )
        for tip in waiting:
            if not can_be_told(tip):
                continue  # the contact was deleted (or is no address): nobody to tell
            with translation.override(site_language()):  # readers are written to in the site's language
                queue_email(
                    to=tip.contact,
                    subject=gettext("We have checked: %(claim)s") % {"claim": record.claim.text},
                    body=gettext(
                        "You sent us a tip and asked us to tell you when it was checked:\n\n"
                        "“%(tip)s”\n\n"
                        "Our verdict: %(headline)s\n\n"
                        "This is the only email we send you about this tip. The full fact-check:"
                    )
                    % {"tip": single_line(tip.text, 300), "headline": record.verdict.headline},
                    path=path,
                )
            tip.told_at = timezone.now()
            tip.save(update_fields=["told_at"])
            told += 1
    return told


# --- The sweep -------------------------------------------------------------------------------------------


def tips_catch_up(*, now: datetime | None = None) -> int:
    """Match the open tips the worker has not matched (the broker was down when they arrived), and tell
    the senders still waiting on published claims. Returns how many tips were matched or told."""
    now = now or timezone.now()
    done = 0
    for tip in Tip.objects.filter(state=Tip.State.NEW, matched_at__isnull=True, created_at__lt=now - CATCH_UP_AFTER):
        tip_match(tip=tip)
        done += 1
    waiting = (
        Tip.objects.filter(
            state=Tip.State.ACCEPTED,
            wants_answer=True,
            told_at__isnull=True,
            contact_deleted_at__isnull=True,
            claim__verdicts__state=Verdict.State.PUBLISHED,
        )
        .exclude(contact="")
        .order_by()
        .values_list("claim_id", flat=True)
        .distinct()
    )
    for claim_id in list(waiting):
        done += tell_senders(claim_id)
    return done
