"""Community Champions: anonymous counts for everyone; names and contacts only for those who
may see them; add, change, and withdraw consent.

Who sees a champion's personal details: administrators, analysts (who broker introductions),
the champion themself, and partners and champions of the champion's own organisation. Once
consent is withdrawn, only administrators open the (anonymous) record.
Who may withdraw consent: the champion themself, or an administrator recording it for them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from healthgap.web.accounts.authorization import Permission, can_edit, has_permission
from healthgap.web.core.paging import paginate
from healthgap.web.directory import actions
from healthgap.web.directory.areas import area_name
from healthgap.web.directory.forms import ChampionForm, WithdrawConsentForm
from healthgap.web.directory.models import CommunityChampion
from healthgap.web.directory.views._guards import edit_denied, posted
from healthgap.web.disclosure import suppress


def _own(user: Any, champion: CommunityChampion) -> bool:
    return user.is_authenticated and champion.user_id == user.pk


def may_see_personal(user: Any, champion: CommunityChampion) -> bool:
    """May `user` open the champion's record? A withdrawn (anonymous) record: administrators."""
    if champion.withdrawn:
        return has_permission(user, Permission.EDIT_ANY)
    return (
        has_permission(user, Permission.EDIT_ANY)
        or has_permission(user, Permission.BROKER_INTRODUCTIONS)
        or (champion.organisation_id is not None and can_edit(user, champion))
        or _own(user, champion)
    )


def may_edit(user: Any, champion: CommunityChampion) -> bool:
    if champion.withdrawn:
        return False
    return has_permission(user, Permission.EDIT_ANY) or (
        (champion.organisation_id is not None and can_edit(user, champion)) or _own(user, champion)
    )


def may_withdraw(user: Any, champion: CommunityChampion) -> bool:
    return not champion.withdrawn and (
        has_permission(user, Permission.EDIT_ANY) or _own(user, champion)
    )


def visible_champions(user: Any) -> QuerySet[CommunityChampion]:
    """The champions (consent not withdrawn) whose names `user` may see."""
    champions = CommunityChampion.objects.filter(withdrawn_at__isnull=True)
    if has_permission(user, Permission.EDIT_ANY) or has_permission(
        user, Permission.BROKER_INTRODUCTIONS
    ):
        return champions
    if not user.is_authenticated:
        return champions.none()
    mine = Q(user=user)
    if has_permission(user, Permission.EDIT_OWN_ORGANISATION) and user.organisation_id:
        mine |= Q(organisation_id=user.organisation_id)
    return champions.filter(mine)


def champion_counts(user: Any) -> dict[str, list[tuple[str, Any]]]:
    """Champions (withdrawn ones included: their anonymous records) by language, community
    and neighbourhood, suppressed for everyone but analysts."""
    counts = {}
    for key, column in (
        ("language", "languages__label"),
        ("community", "communities__label"),
        ("area", "neighbourhoods__code"),
    ):
        rows = (
            CommunityChampion.objects.filter(**{f"{column}__isnull": False})
            .values(column)
            .annotate(n=Count("id", distinct=True))
            .order_by(column)
        )
        counts[key] = [
            (
                f"{row[column]} {area_name(row[column])}" if key == "area" else row[column],
                suppress(row["n"], user),
            )
            for row in rows
        ]
    counts["total"] = [("All champions", suppress(CommunityChampion.objects.count(), user))]
    return counts


def champion_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    champions = visible_champions(user).select_related("organisation")
    page, query = paginate(request, champions.prefetch_related("languages"))
    return render(
        request,
        "directory/champion_list.html",
        {
            "counts": champion_counts(user),
            "page": page,
            "query": query,
            "own_record": CommunityChampion.objects.filter(user=user).first()
            if user.is_authenticated
            else None,
            "may_add": has_permission(user, Permission.EDIT_ANY)
            or (has_permission(user, Permission.EDIT_OWN_ORGANISATION) and user.organisation_id),
        },
    )


def _champion(request: HttpRequest, pk: int, allowed: Any) -> tuple[CommunityChampion, Any]:
    champion = get_object_or_404(CommunityChampion.objects.select_related("organisation"), pk=pk)
    return champion, edit_denied(request, champion, allowed(request.user, champion))


def champion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    champion, denied = _champion(request, pk, may_see_personal)
    if denied:
        return denied
    return render(
        request,
        "directory/champion_detail.html",
        {
            "champion": champion,
            "neighbourhoods": [(a.code, area_name(a.code)) for a in champion.neighbourhoods.all()],
            "may_edit": may_edit(request.user, champion),
            "may_withdraw": may_withdraw(request.user, champion),
        },
    )


def champion_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    admin = has_permission(user, Permission.EDIT_ANY)
    allowed = admin or (
        has_permission(user, Permission.EDIT_OWN_ORGANISATION) and user.organisation_id
    )
    if denied := edit_denied(request, None, bool(allowed)):
        return denied
    form = ChampionForm(*posted(request), may_choose_organisation=admin)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("consent")
        organisation = data.pop("organisation") if admin else user.organisation
        champion = actions.create_champion(by=user, organisation=organisation, **data)
        messages.success(request, f"Added {champion.name} as a Community Champion.")
        return redirect("directory:champion-detail", pk=champion.pk)
    return render(request, "directory/champion_form.html", {"form": form})


def champion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    champion, denied = _champion(request, pk, may_edit)
    if denied:
        return denied
    admin = has_permission(request.user, Permission.EDIT_ANY)
    form = ChampionForm(*posted(request), instance=champion, may_choose_organisation=admin)
    if request.method == "POST" and form.is_valid():
        current = CommunityChampion.objects.get(pk=champion.pk)  # validation changed `champion`
        actions.update_champion(by=request.user, champion=current, **form.cleaned_data)
        messages.success(request, "Saved your changes.")
        return redirect("directory:champion-detail", pk=champion.pk)
    return render(request, "directory/champion_form.html", {"form": form, "champion": champion})


def champion_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    champion, denied = _champion(request, pk, may_withdraw)
    if denied:
        return denied
    own = _own(request.user, champion)
    form = WithdrawConsentForm(*posted(request))
    if request.method == "POST" and form.is_valid():
        actions.withdraw_consent(by=request.user, champion=champion)
        messages.success(
            request,
            "Your consent has been withdrawn and your personal details erased."
            if own
            else "The withdrawal of consent is recorded and the personal details erased.",
        )
        return redirect("directory:champion-list")
    return render(
        request,
        "directory/champion_withdraw.html",
        {"form": form, "champion": champion, "own": own},
    )
