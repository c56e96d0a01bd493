"""Check the transfer register against SIPRI's: does SIPRI already know each deal?

For every row of transfers.csv, the SIPRI deals with the same supplier and recipient (compared
by ISO 3166 alpha-3 code, so "Turkiye" is "Turkey") and the same designation or family are
looked up. A SIPRI designation matches when one of its names ("PJ-10 BrahMos": "PJ-10",
"BrahMos"; "Storm Shadow/SCALP-EG": each side of the slash) is our designation or family written
with or without spaces and hyphens, when the gazetteer resolves it to a system of our family, or
when it is our family with a variant suffix ("Su-30MK" for the family Su-30; a digit after the
family is another system: "M1117" is not an "M1").

The verdict compares our row with the SIPRI deal that agrees best:

* ``known``: every figure our row states agrees (order year, number ordered, delivery years
  within SIPRI's, no more delivered than SIPRI counts, a status SIPRI's deal has reached);
* ``differs``: the deal is there but a figure disagrees; ``differences`` names each field with
  both values (``year_of_order: 2023 vs SIPRI 2022?``);
* ``not_in_register``: no SIPRI deal of that supplier, recipient and system: new information,
  or an error to check;
* ``no_designation``: our row names only a category ("air defence systems"); SIPRI is not
  searched by category.

Years after the register's last year of data are said to be outside its coverage.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from ..knowledge.gazetteer import Weapon, fold
from ..knowledge.iso import CountryCodes
from ..knowledge.sipri import Deal, read_register
from ..schema import REGISTER_CHECK_COLUMNS

STAGE = {"negotiating": 0, "offered": 0, "ordered": 1, "delivered": 2, "in_service": 2}
SEP = " | "  # between the values of several matching SIPRI deals, best first


def norm(text: str) -> str:
    """A designation without case, diacritics, spaces, hyphens or dots: "Su-30 SME" -> "su30sme"."""
    return re.sub(r"[^0-9a-z]", "", fold(text).casefold())


def names(designation: str) -> set[str]:
    """Every name a SIPRI designation holds: the whole, each side of a slash, each run of words."""
    found = {norm(designation)}
    for part in designation.split("/"):
        words = part.split()
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                found.add(norm(" ".join(words[i:j])))
    return {n for n in found if n}


def stems(designation: str) -> set[str]:
    """The name before a variant number: "Hawk-100" and "Hawk Mk 132" -> "hawk"."""
    found = set()
    for part in designation.split("/"):
        m = re.match(r"([A-Za-z]{4,})[\s-]+(?:Mk\.?\s*)?\d", part.strip())
        if m:
            found.add(norm(m.group(1)))
    return found


def _continues(name: str, family: str) -> bool:
    """Is ``name`` the family with a variant suffix? After a family ending in a digit, another
    digit makes another system ("M1117" is not an "M1"); after a letter it is a variant ("Hawk100")."""
    return len(name) > len(family) and name.startswith(family) and \
        not (family[-1].isdigit() and name[len(family)].isdigit())


def _years(cell: object) -> list[str]:
    return [y.strip() for y in str(cell or "").split(";") if y.strip()]


def _ints(cell: object) -> list[int]:
    return [int(v) for v in re.findall(r"\d+", str(cell or ""))]


def _flagged(value: str, uncertain: bool) -> str:
    return f"{value}?" if value and uncertain else value


def _distance(row: Mapping[str, object], deal: Deal) -> int:
    """How far our numbers are from the deal's (ordered and delivered)."""
    gap = 0
    for ours, theirs in ((row.get("number_ordered"), deal.number_ordered),
                         (row.get("number_delivered"), deal.number_delivered)):
        numbers = _ints(ours)
        if numbers and theirs.isdigit():
            gap += abs(sum(numbers) - int(theirs))
    return gap


@dataclass
class Check:
    """The comparison of our row with one SIPRI deal."""

    deal: Deal
    differences: list[str]


class RegisterChecker:
    def __init__(self, deals: Iterable[Deal], weapons: Iterable[Weapon], codes: CountryCodes) -> None:
        self.codes = codes
        self.by_pair: dict[tuple[str, str], list[Deal]] = defaultdict(list)
        last = 0
        for deal in deals:
            self.by_pair[(self._code(deal.supplier), self._code(deal.recipient))].append(deal)
            last = max([last, *(int(y) for y in (deal.order_year, *deal.delivery_years) if y.isdigit())])
        self.last_year = last
        self.family_of: dict[str, str] = {}     # normalised surface -> normalised family
        self.by_canonical: dict[str, Weapon] = {}
        for weapon in weapons:
            self.by_canonical.setdefault(weapon.canonical, weapon)  # a curated row comes first
            for surface in (weapon.canonical, *weapon.aliases):
                self.family_of.setdefault(norm(surface), norm(weapon.family or weapon.canonical))

    def _code(self, country: str) -> str:
        """ISO code, else the folded name (non-state actors, "unknown supplier(s)")."""
        return self.codes.code(country) or fold(country).casefold()

    # ---------------------------------------------------------------- matching

    def _keys(self, row: Mapping[str, object]) -> tuple[str, str, str]:
        """Our designation, our family, and the system name after a maker's ("BAE Hawk" -> "hawk")."""
        designation = str(row["weapon_designation"])
        weapon = self.by_canonical.get(designation)
        family = weapon.family if weapon is not None and weapon.family else designation
        words = family.split()
        tail = norm(words[-1]) if len(words) > 1 and words[-1].isalpha() and len(words[-1]) >= 4 else ""
        return norm(designation), norm(family), tail

    def matches(self, row: Mapping[str, object]) -> list[Deal]:
        """SIPRI deals of the row's supplier and recipient naming its system or family."""
        ours, family, tail = self._keys(row)
        pair = (self._code(str(row["supplier"])), self._code(str(row["recipient"])))
        found = []
        for deal in self.by_pair.get(pair, []):
            theirs = names(deal.designation)
            if {ours, family} & theirs or family in {self.family_of.get(n) for n in theirs}:
                found.append(deal)
            elif len(family) >= 2 and any(_continues(n, family) for n in theirs):
                found.append(deal)
            elif tail and tail in stems(deal.designation):
                found.append(deal)
        return found

    @staticmethod
    def _names_variant(deal: Deal, ours: str) -> bool:
        return ours in names(deal.designation) or ours in {norm(w) for w in re.split(r"[\s;,()]+", deal.comments)}

    # ---------------------------------------------------------------- comparing

    def _beyond(self, year: str) -> str:
        return f" (after the register's last year, {self.last_year})" if year.isdigit() and \
            int(year) > self.last_year else ""

    def compare(self, row: Mapping[str, object], deal: Deal) -> Check:
        out: list[str] = []
        ordered = _years(row.get("year_of_order"))
        if ordered and deal.order_year and deal.order_year not in ordered:
            shown = _flagged(deal.order_year, deal.order_year_uncertain)
            out.append(f"year_of_order: {'; '.join(ordered)} vs SIPRI {shown}" + self._beyond(max(ordered)))
        number = _ints(row.get("number_ordered"))
        if number and deal.number_ordered and int(deal.number_ordered) not in number:
            out.append(f"number_ordered: {row['number_ordered']} vs SIPRI "
                       f"{_flagged(deal.number_ordered, deal.number_ordered_uncertain)}")
        delivered = _ints(row.get("number_delivered"))
        sipri_delivered = int(deal.number_delivered) if deal.number_delivered.isdigit() else 0
        if delivered and sum(delivered) > sipri_delivered:
            out.append(f"number_delivered: {row['number_delivered']} vs SIPRI "
                       f"{_flagged(deal.number_delivered or '0', deal.number_delivered_uncertain)}")
        years = [y for y in _years(row.get("years_of_delivery")) if y not in deal.delivery_years]
        if years:
            out.append(f"years_of_delivery: {'; '.join(years)} not among SIPRI's "
                       f"{'; '.join(deal.delivery_years) or 'none'}" + self._beyond(max(years)))
        if str(row.get("status")) in ("inspected", "repair", "other"):
            out.append(f"status: {row['status']} (SIPRI records transfers, not {row['status']})")
        stage = STAGE.get(str(row.get("status")))
        sipri_stage = 2 if deal.delivery_years or sipri_delivered else 1
        if stage is not None and stage != sipri_stage and not (stage == 1 and sipri_stage == 2):
            reached = "delivered" if sipri_stage == 2 else f"ordered {deal.order_year}"
            out.append(f"status: {row['status']} vs SIPRI {reached}")
        return Check(deal, out)

    def _together(self, row: Mapping[str, object], deals: list[Deal]) -> Check:
        """Our row against all matching deals added up: numbers summed, years joined."""
        def total(values: list[str]) -> str:
            return str(sum(int(v) for v in values)) if values and all(v.isdigit() for v in values) else ""

        combined = Deal(line=0, recipient=deals[0].recipient, supplier=deals[0].supplier,
                        designation=f"{len(deals)} deals", description="", order_year="",
                        order_year_uncertain=False, number_ordered=total([d.number_ordered for d in deals]),
                        number_ordered_uncertain=any(d.number_ordered_uncertain for d in deals),
                        number_delivered=total([d.number_delivered for d in deals if d.number_delivered]) or "0",
                        number_delivered_uncertain=any(d.number_delivered_uncertain for d in deals),
                        delivery_years=tuple(sorted({y for d in deals for y in d.delivery_years})), status="",
                        comments="")
        check = self.compare(row, combined)
        years = sorted({d.order_year for d in deals if d.order_year})
        unknown = [y for y in _years(row.get("year_of_order")) if y not in years]
        if unknown:
            check.differences.insert(0, f"year_of_order: {'; '.join(unknown)} vs SIPRI {'; '.join(years)}"
                                     + self._beyond(max(unknown)))
        check.differences = [f"{d} (all {len(deals)} deals together)" for d in check.differences]
        return check

    def check(self, row: Mapping[str, object]) -> dict[str, object]:
        result: dict[str, object] = {c: row.get(c, "") for c in OUR_COLUMNS}
        designation = str(row.get("weapon_designation") or "")
        if designation == designation.lower():  # a category ("air defence systems"), not a designation
            result.update(verdict="no_designation", differences="")
            return result | {c: "" for c in SIPRI_COLUMNS} | {"n_sipri": 0}
        ours = self._keys(row)[0]
        checks = [self.compare(row, deal) for deal in self.matches(row)]
        # fewest differences; then the nearest numbers; then a deal naming our very variant (in its
        # designation or a comment such as "Su-30SME version"); then the latest order
        checks.sort(key=lambda c: (len(c.differences), _distance(row, c.deal), not self._names_variant(c.deal, ours),
                                   -int(c.deal.order_year or 0), c.deal.line))
        if not checks:
            missing = [side for side in ("supplier", "recipient") if not row.get(side)]
            note = f"no {' and no '.join(missing)}: cannot be looked up" if missing else ""
            result.update(verdict="not_in_register", differences=note, n_sipri=0)
            return result | {c: "" for c in SIPRI_COLUMNS}
        best = checks[0]
        deals = [c.deal for c in checks]
        if best.differences and len(deals) > 1:
            # our row gathers every batch of the pair and system; SIPRI may split them into deals
            together = self._together(row, deals)
            numbers = any(d.startswith("number_") for d in best.differences)  # sums speak to numbers
            if len(together.differences) < len(best.differences) + numbers:
                best = together
        result.update(
            verdict="differs" if best.differences else "known", differences="; ".join(best.differences),
            n_sipri=len(deals),
            sipri_designation=SEP.join(d.designation for d in deals),
            sipri_order_year=SEP.join(_flagged(d.order_year, d.order_year_uncertain) for d in deals),
            sipri_number_ordered=SEP.join(_flagged(d.number_ordered, d.number_ordered_uncertain) for d in deals),
            sipri_number_delivered=SEP.join(_flagged(d.number_delivered, d.number_delivered_uncertain)
                                            for d in deals),
            sipri_delivery_years=SEP.join("; ".join(d.delivery_years) for d in deals),
            sipri_lines=SEP.join(str(d.line) for d in deals))
        return result


OUR_COLUMNS = REGISTER_CHECK_COLUMNS[:REGISTER_CHECK_COLUMNS.index("verdict")]
SIPRI_COLUMNS = REGISTER_CHECK_COLUMNS[REGISTER_CHECK_COLUMNS.index("sipri_designation"):]


def check_register(transfers: Sequence[Mapping[str, object]], checker: RegisterChecker) -> list[dict[str, object]]:
    return [checker.check(row) for row in transfers]


def verdict_counts(rows: Iterable[Mapping[str, object]]) -> Counter[str]:
    return Counter(str(r["verdict"]) for r in rows)


def compare_register(register: Path, output_dir: Path, gazetteer_dir: Path | None = None) -> Counter[str]:
    """``extract compare-register``: check ``output_dir``/transfers.csv against the SIPRI register
    file and write ``output_dir``/register_check.csv; the verdict counts."""
    from ..entities.matchers.base import cached_gazetteers
    from ..outputs.writers import OutputSet

    transfers_path = output_dir / "transfers.csv"
    if not transfers_path.exists():
        raise FileNotFoundError(f"{transfers_path} not found; run `python -m extract run --output {output_dir}` first")
    deals = read_register(register)
    gaz = cached_gazetteers(str(gazetteer_dir or ""))
    with transfers_path.open(encoding="utf-8", newline="") as handle:
        transfers = list(csv.DictReader(handle))
    rows = check_register(transfers, RegisterChecker(deals, gaz.weapons.values(), CountryCodes(gaz.countries.values())))
    with OutputSet(output_dir) as outputs:
        outputs.csv("register_check.csv", REGISTER_CHECK_COLUMNS).write_all(rows)
    return verdict_counts(rows)
