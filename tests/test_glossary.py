"""The book's glossary against its chapters: each entry has an id, the
entries are in alphabetical order, each names the chapter that explains it,
that chapter links to it, and every link to the glossary has a target, on
the website (a page per chapter) as in the PDF and the EPUB (one document)."""

import os
import re

import pytest

from harness import TOP, expect

pytestmark = pytest.mark.group("book")

CHAPTERS = os.path.join(TOP, "book", "chapters")
GLOSSARY = "09-glossary"
TERM = re.compile(r"^\[(?P<term>[^\]]+)\]\{#(?P<id>glossary-[a-z0-9-]+)\}$")
LINK = re.compile(r"\]\(#(glossary-[^)\s]*)\)")
WHERE = re.compile(r"\b((?:Chapter \d+)|(?:Appendix [A-Z]))\.$")


def chapter_files():
    """{page name: (title, text)} for book/chapters/*.md."""
    found = {}
    for name in sorted(os.listdir(CHAPTERS)):
        if name.endswith(".md"):
            with open(os.path.join(CHAPTERS, name)) as f:
                text = f.read()
            title = re.search(r"^# (.+)$", text, re.M).group(1)
            found[name[:-3]] = (title, text)
    return found


def glossary_entries(text):
    """[(term, id, definition)] in the order of the file. A definition line
    (':   ') must follow a term line that gives the entry an id."""
    entries, lines = [], text.splitlines()
    for i, line in enumerate(lines):
        if not line.startswith(":   "):
            continue
        match = TERM.match(lines[i - 1]) if i else None
        expect(match, f"the glossary entry before line {i + 1} ({lines[i - 1]!r}) has no id: "
               "write it as [Term]{#glossary-term}")
        body = [line[4:]]
        for more in lines[i + 1:]:
            if not more.startswith("    "):
                break
            body.append(more.strip())
        entries.append((match["term"], match["id"], " ".join(body)))
    return entries


def chapter_names(files):
    """{'Chapter 4': page, 'Appendix A': page} from the chapters' titles."""
    names = {}
    for page, (title, _) in files.items():
        match = re.match(r"((?:Chapter \d+)|(?:Appendix [A-Z])):", title)
        if match:
            names[match.group(1)] = page
    return names


def glossary_is_complete():
    files = chapter_files()
    entries = glossary_entries(files[GLOSSARY][1])
    expect(len(entries) >= 60, f"the glossary has only {len(entries)} entries")
    terms = [term for term, _, _ in entries]
    ordered = sorted(terms, key=str.lower)
    expect(terms == ordered, "the glossary is not in alphabetical order; it should read:\n  "
           + "\n  ".join(ordered))
    ids = [gid for _, gid, _ in entries]
    twice = sorted({gid for gid in ids if ids.count(gid) > 1})
    expect(not twice, f"these glossary ids are given twice: {twice}")

    names = chapter_names(files)
    problems = []
    for term, gid, definition in entries:
        where = WHERE.search(definition)
        if not where:
            problems.append(f"{term}: the entry does not end by naming its chapter "
                            "('... Chapter 4.' or '... Appendix A.')")
        elif where.group(1) not in names:
            problems.append(f"{term}: names {where.group(1)}, which the book does not have")
        elif f"](#{gid})" not in files[names[where.group(1)]][1]:
            problems.append(f"{term}: {where.group(1)} ({names[where.group(1)]}.md) explains it "
                            f"but never links to it: write [{term}](#{gid}) at its first use")
    for page, (_, text) in files.items():
        for target in LINK.findall(text):
            if target not in ids:
                problems.append(f"{page}.md links to #{target}, which the glossary does not have")
    expect(not problems, f"{len(problems)} problems between the glossary and the chapters:\n"
           + "\n".join(problems))


def read(path):
    with open(path) as f:
        return f.read()


def glossary_links_resolve(book):
    """As book/build.py renders them: a page per chapter for the website
    (html/), all chapters in one document for the PDF and the EPUB
    (print/book.html, the page the PDF is printed from)."""
    files = chapter_files()
    pages = {page: read(os.path.join(book, "html", page + ".html")) for page in files}
    glossary_ids = set(re.findall(r'\bid="(glossary-[^"]+)"', pages[GLOSSARY]))
    expect(glossary_ids, "the glossary's page has no element with a glossary-... id")
    problems, seen = [], 0
    for page, text in pages.items():
        for href in re.findall(r'href="([^"]*glossary-[^"]*)"', text):
            seen += 1
            target, _, anchor = href.partition("#")
            wanted = "" if page == GLOSSARY else GLOSSARY + ".html"
            if target != wanted or anchor not in glossary_ids:
                problems.append(f"{page}.html: link {href} does not lead to the glossary's "
                                f"{anchor!r} (want {wanted}#{anchor})")
    expect(seen >= 60, f"the website's pages have only {seen} links to the glossary")
    whole = read(os.path.join(book, "print", "book.html"))
    ids = set(re.findall(r'\bid="([^"]+)"', whole))
    for href in re.findall(r'href="([^"]*glossary-[^"]*)"', whole):
        if not href.startswith("#") or href[1:] not in ids:
            problems.append(f"the one-document book (PDF, EPUB): link {href} has no target")
    expect(not problems, f"{len(problems)} broken links to the glossary:\n" + "\n".join(problems[:30]))


@pytest.mark.title("glossary: alphabetical, each entry names its chapter, which links to it")
def test_glossary_is_complete():
    glossary_is_complete()


@pytest.mark.title("glossary: every link to it resolves on the website and in the one-document book")
def test_glossary_links_resolve(book):
    glossary_links_resolve(book)
