"""Names for bulk agencies: California police, sheriffs, cities, counties and school districts.

`agency(n)` is the same for every n on every run (no randomness), so a data set grown later
reuses the agencies it already has.
"""

import functools

from django.utils.text import slugify

from rtcc_requests.agencies.models import AgencyKind

# (city, county): a spread of real California cities.
CITIES = [
    ("Fresno", "Fresno"), ("Clovis", "Fresno"), ("Sanger", "Fresno"), ("Selma", "Fresno"),
    ("Oakland", "Alameda"), ("Berkeley", "Alameda"), ("Fremont", "Alameda"),
    ("Hayward", "Alameda"), ("Alameda", "Alameda"), ("San Leandro", "Alameda"),
    ("Los Angeles", "Los Angeles"), ("Long Beach", "Los Angeles"), ("Pasadena", "Los Angeles"),
    ("Glendale", "Los Angeles"), ("Burbank", "Los Angeles"), ("Torrance", "Los Angeles"),
    ("Inglewood", "Los Angeles"), ("Santa Monica", "Los Angeles"), ("Pomona", "Los Angeles"),
    ("Downey", "Los Angeles"), ("Compton", "Los Angeles"), ("El Monte", "Los Angeles"),
    ("San Diego", "San Diego"), ("Chula Vista", "San Diego"), ("Oceanside", "San Diego"),
    ("Escondido", "San Diego"), ("Carlsbad", "San Diego"), ("El Cajon", "San Diego"),
    ("San Jose", "Santa Clara"), ("Sunnyvale", "Santa Clara"), ("Santa Clara", "Santa Clara"),
    ("Mountain View", "Santa Clara"), ("Palo Alto", "Santa Clara"), ("Milpitas", "Santa Clara"),
    ("San Francisco", "San Francisco"), ("Daly City", "San Mateo"), ("San Mateo", "San Mateo"),
    ("Redwood City", "San Mateo"), ("Sacramento", "Sacramento"), ("Elk Grove", "Sacramento"),
    ("Folsom", "Sacramento"), ("Citrus Heights", "Sacramento"), ("Stockton", "San Joaquin"),
    ("Tracy", "San Joaquin"), ("Lodi", "San Joaquin"), ("Manteca", "San Joaquin"),
    ("Modesto", "Stanislaus"), ("Turlock", "Stanislaus"), ("Bakersfield", "Kern"),
    ("Delano", "Kern"), ("Visalia", "Tulare"), ("Tulare", "Tulare"), ("Porterville", "Tulare"),
    ("Merced", "Merced"), ("Madera", "Madera"), ("Hanford", "Kings"), ("Salinas", "Monterey"),
    ("Monterey", "Monterey"), ("Santa Cruz", "Santa Cruz"), ("Watsonville", "Santa Cruz"),
    ("Riverside", "Riverside"), ("Corona", "Riverside"), ("Moreno Valley", "Riverside"),
    ("Temecula", "Riverside"), ("Palm Springs", "Riverside"), ("Indio", "Riverside"),
    ("San Bernardino", "San Bernardino"), ("Fontana", "San Bernardino"),
    ("Ontario", "San Bernardino"), ("Rialto", "San Bernardino"), ("Victorville", "San Bernardino"),
    ("Anaheim", "Orange"), ("Santa Ana", "Orange"), ("Irvine", "Orange"),
    ("Huntington Beach", "Orange"), ("Garden Grove", "Orange"), ("Fullerton", "Orange"),
    ("Costa Mesa", "Orange"), ("Oxnard", "Ventura"), ("Ventura", "Ventura"),
    ("Thousand Oaks", "Ventura"), ("Simi Valley", "Ventura"), ("Santa Barbara", "Santa Barbara"),
    ("Santa Maria", "Santa Barbara"), ("San Luis Obispo", "San Luis Obispo"),
    ("Vallejo", "Solano"), ("Fairfield", "Solano"), ("Vacaville", "Solano"),
    ("Santa Rosa", "Sonoma"), ("Petaluma", "Sonoma"), ("Napa", "Napa"),
    ("Richmond", "Contra Costa"), ("Concord", "Contra Costa"), ("Antioch", "Contra Costa"),
    ("Walnut Creek", "Contra Costa"), ("San Rafael", "Marin"), ("Novato", "Marin"),
    ("Chico", "Butte"), ("Oroville", "Butte"), ("Redding", "Shasta"), ("Eureka", "Humboldt"),
    ("Arcata", "Humboldt"), ("Ukiah", "Mendocino"), ("Yuba City", "Sutter"),
    ("Woodland", "Yolo"), ("Davis", "Yolo"), ("Roseville", "Placer"), ("Rocklin", "Placer"),
    ("El Centro", "Imperial"), ("Calexico", "Imperial"), ("Barstow", "San Bernardino"),
]  # fmt: skip
COUNTIES = sorted({county for _city, county in CITIES})
# Unincorporated communities and invented towns, for statewide data sets of thousands.
_ROOTS = ["Oak", "Pine", "Cedar", "Willow", "Maple", "Laurel", "Alder", "Redwood", "Cypress",
          "Sage", "Granite", "Clear", "Silver", "Eagle", "Bear", "Deer", "Elk", "Fox"]  # fmt: skip
_ENDS = ["dale", "wood", "brook", "ridge", "field", "view", "crest", "haven", "vale", "ton",
         " Creek", " Springs", " Valley", " Lake", " Hills"]  # fmt: skip


def _towns() -> list[tuple[str, str]]:
    towns = []
    for i, root in enumerate(_ROOTS):
        for j, end in enumerate(_ENDS):
            towns.append((f"{root}{end}", COUNTIES[(i * len(_ENDS) + j) % len(COUNTIES)]))
    return towns


@functools.cache
def _catalogue() -> list[tuple[str, str, str, str]]:
    """(name, kind, city, county), real places first."""
    real = []
    for city, county in CITIES:
        real.append((f"{city} Police Department", AgencyKind.POLICE, city, county))
        real.append((f"City of {city}", AgencyKind.CITY, city, county))
        real.append((f"{city} Unified School District", AgencyKind.SCHOOL_DISTRICT, city, county))
    for county in COUNTIES:
        real.append((f"{county} County Sheriff's Office", AgencyKind.SHERIFF, "", county))
        real.append((f"County of {county}", AgencyKind.COUNTY, "", county))
        real.append((f"{county} County District Attorney", AgencyKind.OTHER, "", county))
    invented = []
    for town, county in _towns():
        invented.append((f"{town} Police Department", AgencyKind.POLICE, town, county))
        invented.append((f"City of {town}", AgencyKind.CITY, town, county))
        invented.append((f"{town} School District", AgencyKind.SCHOOL_DISTRICT, town, county))
    return real + invented


def agency(number: int) -> dict:
    """Field values of bulk agency `number` (0, 1, 2, ...)."""
    catalogue = _catalogue()
    name, kind, city, county = catalogue[number % len(catalogue)]
    if number >= len(catalogue):
        name = f"{name} (division {number // len(catalogue) + 1})"
    slug = f"bulk-{number:05d}-{slugify(name)}"[:200]
    domain = slugify(city or county) or "agency"
    return {
        "name": name,
        "slug": slug,
        "kind": kind,
        "city": city,
        "county": county,
        "state": "CA",
        "records_email": f"records@{domain}-{number}.bulk.invalid",
    }
