"""Read each surface of the denial log with a standard parser and return its request ids."""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

ATOM = "{http://www.w3.org/2005/Atom}"


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8")


def html_ids(text: str) -> list[int]:
    return [int(i) for i in re.findall(r'id="denial-(\d+)"', text)]


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def csv_ids(text: str) -> list[int]:
    return [int(r["request_id"]) for r in csv_rows(text)]


def json_ids(text: str) -> list[int]:
    return [r["request_id"] for r in json.loads(text)["rows"]]


def atom_entries(text: str) -> list[ET.Element]:
    # Our own feed, parsed with the standard library as a newsreader would.
    return ET.fromstring(text).findall(f"{ATOM}entry")  # noqa: S314


def atom_ids(text: str) -> list[int]:
    ids = []
    for entry in atom_entries(text):
        href = entry.find(f"{ATOM}link").get("href")
        ids.append(int(re.search(r"/requests/(\d+)/", href).group(1)))
    return ids


def ids_of(url: str, text: str) -> list[int]:
    path = url.split("?")[0]
    if path.endswith(".csv"):
        return csv_ids(text)
    if path.endswith(".json"):
        return json_ids(text)
    if path.endswith(".atom"):
        return atom_ids(text)
    return html_ids(text)
