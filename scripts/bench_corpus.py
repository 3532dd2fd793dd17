"""A synthetic Dutch corpus for the search benchmark: deterministic, with a realistic spread.

Themes follow a Zipf-like spread (a few themes carry most articles), lengths a log-normal one (most
articles a few hundred words, some several thousand), and the words come from the vocabulary of open
government, so stemming, compounds and phrases behave as they do on the real site.
"""

import math
import random
import uuid
from dataclasses import dataclass

SUBJECTS = [
    "de gemeente",
    "het college",
    "de gemeenteraad",
    "de provincie",
    "het waterschap",
    "het ministerie",
    "de griffie",
    "de ombudsman",
    "een journalist",
    "een bewoner",
    "de archivaris",
    "de informatiebeheerder",
    "de privacyfunctionaris",
    "een wethouder",
    "het bestuur",
    "de rekenkamer",
    "een maatschappelijke organisatie",
    "de Woo-contactpersoon",
]
VERBS = [
    "publiceert",
    "deelt",
    "bespreekt",
    "onderzoekt",
    "verbetert",
    "archiveert",
    "anonimiseert",
    "opent",
    "beoordeelt",
    "ontsluit",
    "verantwoordt",
    "lakt",
    "verzamelt",
    "beheert",
    "evalueert",
    "vraagt om",
]
OBJECTS = [
    "de raadsstukken",
    "open data over verkeer",
    "het algoritmeregister",
    "de besluitenlijst",
    "alle Woo-verzoeken",
    "de subsidieregeling",
    "het jaarverslag",
    "de begroting",
    "de inspraakreacties",
    "het informatiebeleid",
    "de vergaderstukken",
    "gegevens over luchtkwaliteit",
    "de adviezen van de commissie",
    "het klachtenoverzicht",
    "de e-mails van bestuurders",
    "de kaartlagen van het omgevingsplan",
    "documenten met persoonsgegevens",
    "het convenant",
]
ADJUNCTS = [
    "binnen vier weken",
    "zonder onnodige vertraging",
    "in begrijpelijke taal",
    "met een duidelijke toelichting",
    "op de eigen website",
    "samen met bewoners",
    "na een zorgvuldige afweging",
    "volgens de Wet open overheid",
    "in een open formaat",
    "voor iedereen toegankelijk",
    "met oog voor privacy",
    "ondanks beperkte capaciteit",
]
FILLERS = [
    "Dat vraagt om goede informatiehuishouding.",
    "Transparantie helpt het vertrouwen in de overheid.",
    "Actieve openbaarmaking voorkomt veel verzoeken achteraf.",
    "Niet alles kan openbaar: persoonsgegevens worden gelakt.",
    "Gemeenten leren van elkaar in de werkgroep.",
    "Participatie werkt alleen als de uitkomst ertoe doet.",
    "Openbaar maken kost tijd, maar levert ook veel op.",
    "Een register van algoritmen maakt keuzes controleerbaar.",
    "De toegankelijkheid van documenten is wettelijk verplicht.",
    "Integriteit en openheid versterken elkaar.",
]
TITLE_PATTERNS = [
    "Hoe {subject} {object} {adjunct} ontsluit",
    "{Object}: lessen uit de praktijk",
    "Handreiking: {object} {adjunct}",
    "Waarom {subject} kiest voor openheid over {object}",
    "Tien vragen over {object}",
    "Ervaringen met {object} in de regio",
]


@dataclass
class BenchArticle:
    title: str
    slug: str
    summary: str
    paragraphs: list[str]
    themes: list[str]
    year: int

    def body_blocks(self):
        return [{"type": "paragraph", "value": f"<p>{text}</p>", "id": str(uuid.uuid4())} for text in self.paragraphs]


def _sentence(rng):
    if rng.random() < 0.25:
        return rng.choice(FILLERS)
    text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(ADJUNCTS)}."
    return text[0].upper() + text[1:]


def _zipf_weights(count, exponent=1.1):
    return [1 / (rank**exponent) for rank in range(1, count + 1)]


def generate(count: int, themes: list[str], *, seed: int = 2026, start: int = 0):
    """Yield `count` articles (numbers start..start+count-1); the same seed gives the same corpus."""
    weights = _zipf_weights(len(themes))
    for number in range(start, start + count):
        rng = random.Random(seed * 1_000_003 + number)
        words = int(min(4000, max(40, rng.lognormvariate(math.log(350), 0.8))))
        sentences = [_sentence(rng) for _ in range(max(3, words // 9))]
        paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]
        pattern = rng.choice(TITLE_PATTERNS)
        obj = rng.choice(OBJECTS)
        title = pattern.format(
            subject=rng.choice(SUBJECTS), object=obj, Object=obj[0].upper() + obj[1:], adjunct=rng.choice(ADJUNCTS)
        )
        chosen = {rng.choices(themes, weights)[0] for _ in range(rng.choice([1, 1, 2, 3]))}
        yield BenchArticle(
            title=f"{title} ({number})",
            slug=f"bench-{number}",
            summary=" ".join(sentences[:2])[:290],
            paragraphs=paragraphs,
            themes=sorted(chosen),
            year=2016 + rng.randrange(11),
        )
