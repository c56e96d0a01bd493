"""Shared fixtures: a small gazetteer for unit tests and one pipeline per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extract.entities import pipeline
from extract.entities.annotate import Annotator
from extract.corpus.files import Document, find_boilerplate
from extract.knowledge.gazetteer import DEFAULT_DIR, load

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "data" / "seeds_gold.jsonl"

SMALL_WEAPONS = """id,canonical,family,category,origin,aliases,source,added
su-30,Su-30,Su-30,fighter aircraft,Russia,Sukhoi Su-30|Flanker-C,test,2026-11-28
su-30sme,Su-30SME,Su-30,fighter aircraft,Russia,Sukhoi Su-30SME,test,2026-11-28
pantsir,Pantsir,Pantsir,surface-to-air missile system,Russia,Pantsyr,test,2026-11-28
pantsir-s1,Pantsir-S1,Pantsir,surface-to-air missile system,Russia,Pantsyr-S1|SA-22 Greyhound,test,2026-11-28
mim-104-patriot,MIM-104 Patriot,MIM-104 Patriot,surface-to-air missile system,United States,Patriot,test,2026-11-28
k2-black-panther,K2 Black Panther,K2 Black Panther,main battle tank,South Korea,K2,test,2026-11-28
rafale,Rafale,Rafale,fighter aircraft,France,Dassault Rafale,test,2026-11-28
f-16,F-16,F-16,fighter aircraft,United States,Fighting Falcon,test,2026-11-28
"""
SMALL_PEOPLE = """id,canonical,aliases,titles,role,country,source,added
min-aung-hlaing,Min Aung Hlaing,,Senior General|Commander-in-Chief,Commander-in-Chief of Defence Services,Myanmar,test,2026-11-28
maung-maung-aye,Maung Maung Aye,,General|Chief of the General Staff,Chief of the General Staff,Myanmar,test,2026-11-28
maung-aye,Maung Aye,,Vice Senior General|deputy commander-in-chief,Deputy Commander-in-Chief,Myanmar,test,2026-11-28
than-shwe,Than Shwe,,Senior General|head of state,Head of state,Myanmar,test,2026-11-28
sergei-shoigu,Sergei Shoigu,Shoigu|Sergey Shoygu,Defence Minister|Defense Minister,Defence Minister of Russia,Russia,test,2026-11-28
alexander-fomin,Alexander Fomin,Fomin,Deputy Defence Minister,Deputy Defence Minister of Russia,Russia,test,2026-11-28
nikolai-patrushev,Nikolai Patrushev,Patrushev,Secretary of the Security Council,Secretary of the Security Council,Russia,test,2026-11-28
win-myint,Win Myint,,President,President of Myanmar,Myanmar,test,2026-11-28
"""
SMALL_COUNTRIES = """id,canonical,aliases,demonyms,capitals,forces,source,added
rus,Russia,Russian Federation,Russian|Russians,Moscow,,test,2026-11-28
mmr,Myanmar,Burma,Burmese,Naypyidaw|Naypyitaw,Tatmadaw,test,2026-11-28
usa,United States,US|U.S.|USA,American|Americans,Washington,Pentagon,test,2026-11-28
pol,Poland,Republic of Poland,Polish|Pole|Poles,Warsaw,,test,2026-11-28
kor,South Korea,Republic of Korea|ROK,South Korean|South Koreans,Seoul,,test,2026-11-28
fra,France,French Republic,French,Paris,,test,2026-11-28
egy,Egypt,,Egyptian|Egyptians,Cairo,,test,2026-11-28
twn,Taiwan,Republic of China,Taiwanese,Taipei,,test,2026-11-28
ukr,Ukraine,,Ukrainian|Ukrainians,Kyiv,,test,2026-11-28
"""


def write_gazetteers(directory: Path, weapons: str = SMALL_WEAPONS, people: str = SMALL_PEOPLE,
                     countries: str = SMALL_COUNTRIES) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copytree(DEFAULT_DIR / "lexicon", directory / "lexicon", dirs_exist_ok=True)
    (directory / "weapons.csv").write_text(weapons, encoding="utf-8")
    (directory / "people.csv").write_text(people, encoding="utf-8")
    (directory / "countries.csv").write_text(countries, encoding="utf-8")
    return directory


@pytest.fixture(scope="session")
def small_gazetteer_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_gazetteers(tmp_path_factory.mktemp("gazetteers"))


@pytest.fixture(scope="session")
def small_nlp(small_gazetteer_dir: Path):
    return pipeline.build(small_gazetteer_dir)


@pytest.fixture(scope="session")
def small_gaz(small_gazetteer_dir: Path):
    return load(small_gazetteer_dir)


@pytest.fixture(scope="session")
def annotator(small_gaz):
    return Annotator(small_gaz)


@pytest.fixture(scope="session")
def annotate_text(annotate_result):
    """Annotate a text with the small gazetteer: returns the entity rows."""

    def run(text: str, published=None, doc_id: str = "t"):
        return annotate_result(text, published, doc_id).entities

    return run


@pytest.fixture(scope="session")
def annotate_result(small_nlp, small_gaz, annotator):
    """Annotate a text with the small gazetteer: returns the whole DocumentResult."""

    def run(text: str, published=None, doc_id: str = "t"):
        document = Document(doc_id, f"{doc_id}.txt", text, "utf-8")
        document.boilerplate = find_boilerplate(text, small_gaz.lexicon)
        if published is not None:
            document.published, document.published_from = published, "manifest"
        return annotator(document, small_nlp(pipeline.make_doc(small_nlp, document.clean_text)))

    return run


@pytest.fixture(scope="session")
def claims_of(annotate_result):
    """Mentions of one text, optionally of one claim type."""

    def run(text: str, claim_type: str | None = None, published=None):
        rows = annotate_result(text, published).mentions
        return [r for r in rows if claim_type is None or r["claim_type"] == claim_type]

    return run


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every output file under ``folder`` (the report's subfolders too, not the result cache) by relative
    path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".cache" not in p.relative_to(folder).parts}


def of_type(rows, entity_type: str):
    return [r for r in rows if r["entity_type"] == entity_type]


@pytest.fixture(scope="session")
def seed_outputs(tmp_path_factory):
    """The outputs of one run on the seeds with the real gazetteers."""
    from extract.engine.runner import run

    out = tmp_path_factory.mktemp("seed-outputs")
    run(SEEDS, out)
    return out
