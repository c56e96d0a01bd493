"""The scalable reconciler gives the same clusters as the plain all-pairs algorithm it replaced
(kept here as the oracle), on random mentions dense in near-duplicates, and on the bench's
synthetic mentions; ``extract reconcile`` reproduces a run's claims from its mentions.csv."""

from __future__ import annotations

import random
from collections import defaultdict

import numpy as np
import pytest

from extract.bench import synthetic_mentions
from extract.reconcile import cluster
from extract.reconcile.cluster import Reconciler, blocks
from extract.schema import MENTION_COLUMNS
from extract.claims.mention import WEAK_DATE


def reference_clusters(rec: Reconciler, mentions):  # type: ignore[no-untyped-def]
    """The reconciler's clustering as it was before issue 11: every pair of a block judged,
    the whole compatibility relation held, then complete linkage over all similar pairs."""
    ids = [str(m["mention_id"]) for m in mentions]
    groups = rec._identical(mentions, ids)
    reps = [g[0] for g in groups]
    index = defaultdict(list)
    for r, i in enumerate(reps):
        for key in blocks(mentions[i]):
            index[key].append(r)
    neighbours = defaultdict(set)
    pairs = {}
    for key, members in index.items():
        reps_rows = [mentions[reps[m]] for m in range(len(reps))]
        every = ((x, y) for n, x in enumerate(members) for y in members[n + 1:])
        for x, y in rec._shingle_pairs(members, reps_rows) if key.startswith("statement|") else every:
            if y in neighbours[x]:
                continue
            a, b = mentions[reps[x]], mentions[reps[y]]
            if not rec.compatible(a, b):
                continue
            neighbours[x].add(y)
            neighbours[y].add(x)
            score = rec.similarity(a, b)
            if score >= rec.settings.threshold.get(str(a["claim_type"]), 1.0):
                pairs[(min(x, y), max(x, y))] = score
    cluster_of = list(range(len(reps)))
    members_of = {r: {r} for r in range(len(reps))}
    common = {r: set(neighbours[r]) for r in range(len(reps))}
    docs_of = {r: {mentions[i]["doc_id"] for i in groups[r]} for r in range(len(reps))}
    for (x, y), _score in sorted(pairs.items(), key=lambda kv: (-kv[1], sorted((ids[reps[kv[0][0]]],
                                                                                  ids[reps[kv[0][1]]])))):
        cx, cy = cluster_of[x], cluster_of[y]
        if cx == cy or docs_of[cx] & docs_of[cy]:
            continue
        if not members_of[cy] <= common[cx]:
            continue
        members_of[cx] |= members_of.pop(cy)
        common[cx] = (common[cx] & common.pop(cy)) - members_of[cx]
        docs_of[cx] |= docs_of.pop(cy)
        for r in members_of[cx]:
            cluster_of[r] = cx
    clusters = [sorted((i for r in members for i in groups[r]), key=lambda k: ids[k]) for members in members_of.values()]
    return sorted(clusters, key=lambda m: ids[m[0]])


def dense_mentions(rng: random.Random, n: int) -> list[dict[str, object]]:
    """Few values per slot, so that blocks are large and most pairs come close to the threshold."""
    words = ["jets", "sold", "delivered", "the", "army", "talks", "said", "new", "deal", "six"]
    rows = []
    for i in range(n):
        row: dict[str, object] = {c: "" for c in MENTION_COLUMNS}
        kind = rng.choice(["transfer", "meeting", "statement", "agreement", "combat_use"])
        day = f"2020-{rng.randint(1, 3):02d}-{rng.randint(10, 12)}"
        grain = rng.random()
        if grain < 0.4:
            row.update(date_value=day, date_start=day, date_end=day)
        elif grain < 0.7:
            row.update(date_value=day[:7], date_start=day[:8] + "01", date_end=day[:8] + "28")
            row[WEAK_DATE] = rng.random() < 0.5
        elif grain < 0.8:
            row.update(date_value="2020", date_start="2020-01-01", date_end="2020-12-31")
        row.update(mention_id=f"m{i:04d}", doc_id=f"d{rng.randint(0, n // 3)}", claim_type=kind,
                   polarity=rng.choice(["asserted"] * 5 + ["negated"]),
                   evidence=" ".join(rng.choice(words) for _ in range(rng.randint(3, 7))),
                   quantity=rng.choice(["", "", 6, "6", 12]), place=rng.choice(["", "Moscow", "Russia", "Kyiv"]),
                   name=rng.choice(["", "", "Zapad", "Zapad 2021"]))
        if kind in ("transfer", "combat_use"):
            family = rng.choice(["Su-30", "T-90"])
            weapon = rng.choice([family, family + "SM", family + "MKI"])
            row.update(family=family, weapon=weapon, weapon_id=weapon.lower(), status=rng.choice(["ordered", "delivered"]),
                       supplier=rng.choice(["", "Russia", "India"]), recipient=rng.choice(["Myanmar", ""]),
                       parties=rng.choice(["", "Russia"]))
        elif kind == "meeting":
            row["people"] = ";".join(sorted(rng.sample(["A B", "C D", "E F", "a b"], rng.randint(1, 2))))
        elif kind == "statement":
            row.update(speaker=rng.choice(["Lavrov", "lavrov", "Shoigu"]),
                       quote=rng.choice(["", "we will deliver the jets on time to our partners"] * 2 +
                                        ["we will not deliver the jets on time to anyone"]))
        else:
            row["parties"] = rng.choice(["India;Russia", "Russia"])
        rows.append(row)
    return rows


@pytest.mark.parametrize("vector_min, sparse", [(2, 0.0), (2, 1.0), (10_000, 0.0)])
@pytest.mark.parametrize("seed", range(6))
def test_same_clusters_as_all_pairs(seed: int, vector_min: int, sparse: float, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster, "VECTOR_MIN", vector_min)  # numpy scoring for every block, or for none
    monkeypatch.setattr(cluster, "VECTOR_ROWS", 7)          # in small chunks
    monkeypatch.setattr(cluster, "SPARSE", sparse)          # texts by cdist, or pair by pair
    rows = dense_mentions(random.Random(seed), 220)
    rec = Reconciler(place_country={"moscow": "Russia", "russia": "Russia", "kyiv": "Ukraine"})
    expected = reference_clusters(rec, rows)
    assert any(len(c) > 2 for c in expected)  # the data does merge
    assert rec.clusters(rows) == expected


def test_same_clusters_on_bench_mentions() -> None:
    rows = list(synthetic_mentions(3000, seed=3, hot=600))
    rec = Reconciler()
    assert rec.clusters(rows) == reference_clusters(rec, rows)


def test_reconcile_command_reproduces_the_run(seed_outputs, tmp_path) -> None:
    from extract.cli import main

    assert main(["reconcile", "--mentions", str(seed_outputs / "mentions.csv"), "--output", str(tmp_path)]) == 0
    for name in ("claims.csv", "transfers.csv", "reviews.csv"):
        assert (tmp_path / name).read_bytes() == (seed_outputs / name).read_bytes(), name


def test_reconcile_command_names_a_missing_file(tmp_path, capsys) -> None:
    from extract.cli import main

    assert main(["reconcile", "--mentions", str(tmp_path / "nope.csv"), "--output", str(tmp_path)]) == 2
    assert "error: mentions file" in capsys.readouterr().err


def test_weak_dates_survive_the_round_trip(seed_outputs) -> None:
    """The reconciler reads date_weak: a run's mentions.csv must carry it for reconciling from the file."""
    from extract.outputs.writers import read_rows

    rows = list(read_rows(seed_outputs / "mentions.csv"))
    assert {r["date_weak"] for r in rows} == {"", "yes"}


def repeated_slot_mentions(rng: random.Random, n: int) -> list[dict[str, object]]:
    """Mentions whose slots come from a few tuples, so that most pairs of a block have identical
    slots (and agree on everything but their words), with and without the slots the sub-blocks
    split on (supplier, parties, place, polarity)."""
    tuples = []
    for _ in range(12):
        kind = rng.choice(["transfer", "transfer", "meeting", "combat_use", "agreement", "exercise"])
        day = f"2021-0{rng.randint(1, 3)}-1{rng.randint(0, 2)}"
        slots: dict[str, object] = {c: "" for c in MENTION_COLUMNS}
        slots.update(claim_type=kind, polarity=rng.choice(["asserted", "asserted", "negated"]),
                     supplier=rng.choice(["", "France", "Italy"]), recipient="Chile",
                     family="Rafale", weapon=rng.choice(["Rafale", "Rafale M", "Rafale B"]), status="ordered",
                     quantity=rng.choice(["", "12"]), parties=rng.choice(["", "Chile;Peru", "Peru"]),
                     people=rng.choice(["G H", "G H;J K"]), place=rng.choice(["", "Lima", "Peru", "Quito"]),
                     name=rng.choice(["", "Unitas"]))
        slots["weapon_id"] = str(slots["weapon"]).lower()
        if rng.random() < 0.7:
            slots.update(date_value=day, date_start=day, date_end=day)
        tuples.append(slots)
    words = ["fleet", "signed", "navy", "the", "order", "jets", "for", "talks", "held", "new"]
    rows = []
    for i in range(n):
        row = dict(rng.choice(tuples))
        row.update(mention_id=f"m{i:04d}", doc_id=f"d{rng.randint(0, n // 2)}",
                   evidence=" ".join(rng.choice(words) for _ in range(rng.randint(3, 6))))
        rows.append(row)
    return rows


@pytest.mark.parametrize("vector_min", [2, 10_000])
@pytest.mark.parametrize("seed", range(4))
def test_same_clusters_as_all_pairs_on_repeated_slots(seed: int, vector_min: int,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster, "VECTOR_MIN", vector_min)
    monkeypatch.setattr(cluster, "VECTOR_ROWS", 5)
    rows = repeated_slot_mentions(random.Random(seed), 240)
    rec = Reconciler(place_country={"lima": "Peru", "peru": "Peru", "quito": "Ecuador"})
    expected = reference_clusters(rec, rows)
    assert sum(len(c) > 1 for c in expected) > 10
    assert rec.clusters(rows) == expected


def test_mention_table_gives_back_the_rows() -> None:
    rows = list(synthetic_mentions(400, seed=5, hot=50))
    table = cluster.MentionTable(rows)
    assert len(table) == len(rows) and list(table) == rows and table[3:5] == rows[3:5]
    assert Reconciler().reconcile(table) == Reconciler().reconcile(rows)


class _Reading(dict):  # type: ignore[type-arg]
    """A row that notes which slots are read."""

    read: set[str] = set()

    def __getitem__(self, key: str) -> object:
        _Reading.read.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default: object = None) -> object:
        _Reading.read.add(key)
        return super().get(key, default)


@pytest.mark.parametrize("kind", sorted(cluster.FIT_SLOTS))
def test_fit_slots_are_all_that_compatible_and_blocks_read(kind: str) -> None:
    """The linkage tests a cluster by its distinct FIT_SLOTS tuples: sound only if nothing else is read."""
    rng = random.Random(1)
    rows = [r for r in dense_mentions(rng, 300) + repeated_slot_mentions(rng, 300) if r["claim_type"] == kind]
    rec = Reconciler(settings=cluster.Settings(compatible_statuses=(frozenset({"ordered", "delivered"}),)))
    _Reading.read = set()
    for a, b in zip(rows, rows[1:] + rows[:1]):
        rec.compatible(_Reading(a), _Reading(b))
        blocks(_Reading(a))
    assert _Reading.read and _Reading.read <= set(cluster.FIT_SLOTS[kind])


def test_token_set_bound_is_never_below_the_score() -> None:
    """``TokenSets.bound`` may drop a pair only if token_set_ratio could not reach what it needs."""
    from rapidfuzz import fuzz

    rng = random.Random(4)
    words = ["w1", "w12", "w21", "the", "army", "armies", "é", "ü", "jets", "sold", "x", "defense", "ab", "ba"]
    texts = [""] + [" ".join(sorted(set(rng.choices(words, k=rng.randint(1, 9))))) for _ in range(150)]
    texts += [" ".join(sorted(set(t.split()) - {rng.choice(t.split())})) for t in texts[1:40]]  # subsets
    sets = cluster.TokenSets(texts)
    rows, cols = np.arange(0, len(texts), 2), np.arange(len(texts))
    i, j = (a.ravel() for a in np.meshgrid(np.arange(len(rows)), np.arange(len(cols)), indexing="ij"))
    bound = sets.bound(rows, cols, i, j)
    score = np.array([fuzz.token_set_ratio(texts[rows[a]], texts[cols[b]]) / 100 for a, b in zip(i, j)])
    assert (bound >= score - 1e-12).all()
    assert (bound < 0.9).sum() > len(bound) // 4 and (bound == 1.0).any()  # it does drop pairs
