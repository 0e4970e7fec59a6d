"""publiccode.yml, checked offline against the rules of the publiccode.yml standard
(docs/standard/schema.core.rst of github.com/publiccodeyml/publiccode.yml) that the
official parser (Go, not installable here without its module proxy) enforces on a file
like ours: the mandatory keys, the enumerations and controlled vocabularies, the
lengths of the descriptions, the dates, the SPDX licence; and that `url` is the
repository's address as pyproject.toml configures it."""

import datetime
import re
import tomllib
from pathlib import Path

import pytest
import yaml

RADICE = Path(__file__).resolve().parent.parent
FILE = RADICE / "publiccode.yml"

SVILUPPO = {"concept", "development", "beta", "stable", "obsolete"}
TIPI = {
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
}
MANUTENZIONE = {"internal", "contract", "community", "none"}
# The standard's controlled vocabularies, the values this project might use.
CATEGORIE = {
    "business-process-management",
    "data-analytics",
    "data-visualization",
    "document-management",
    "financial-reporting",
    "regulations-and-directives",
    "project-management",
    "hr",
}
AMBITI = {"local-authorities", "government"}
# SPDX identifiers of the licences the project might carry.
LICENZE = {"EUPL-1.2", "AGPL-3.0-or-later", "GPL-3.0-or-later", "MIT", "Apache-2.0"}
LINGUA = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@pytest.fixture(scope="module")
def codice():
    return yaml.safe_load(FILE.read_text(encoding="utf-8"))


def test_the_mandatory_keys_and_their_vocabularies(codice):
    for chiave in (
        "publiccodeYmlVersion",
        "name",
        "url",
        "platforms",
        "developmentStatus",
        "softwareType",
        "description",
        "legal",
        "maintenance",
        "localisation",
    ):
        assert chiave in codice, chiave
    assert codice["publiccodeYmlVersion"] in {"0", "0.2", "0.3", "0.4", "0.5"}
    assert codice["developmentStatus"] in SVILUPPO
    assert codice["softwareType"] in TIPI
    assert "web" in codice["platforms"]
    assert set(codice["categories"]) <= CATEGORIE
    assert set(codice["intendedAudience"]["scope"]) <= AMBITI
    datetime.date.fromisoformat(codice["releaseDate"])
    assert codice["legal"]["license"] in LICENZE


def test_the_descriptions_within_the_standards_lengths(codice):
    assert set(codice["description"]) == {"it"}
    italiano = codice["description"]["it"]
    assert len(italiano["shortDescription"]) <= 150
    assert "\n" not in italiano["shortDescription"].strip()
    assert 150 <= len(italiano["longDescription"]) <= 10000
    assert italiano["features"] and all(isinstance(f, str) for f in italiano["features"])


def test_maintenance_and_localisation(codice):
    manutenzione = codice["maintenance"]
    assert manutenzione["type"] in MANUTENZIONE
    if manutenzione["type"] in {"internal", "community"}:
        assert all(c.get("name") for c in manutenzione["contacts"])
    assert ("contractors" in manutenzione) == (manutenzione["type"] == "contract")
    lingue = codice["localisation"]["availableLanguages"]
    assert lingue and all(LINGUA.match(lingua) for lingua in lingue)
    assert isinstance(codice["localisation"]["localisationReady"], bool)
    for dipendenza in codice.get("dependsOn", {}).get("open", []):
        assert dipendenza["name"]
        assert set(dipendenza) <= {"name", "versionMin", "versionMax", "version", "optional"}


def test_url_and_version_are_the_ones_pyproject_configures(codice):
    progetto = tomllib.loads((RADICE / "pyproject.toml").read_text())["project"]
    assert codice["url"] == progetto["urls"]["Repository"]
    assert codice["softwareVersion"] == progetto["version"]
    assert codice["legal"]["license"] == progetto["license"]
