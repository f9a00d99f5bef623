"""Text search in the queue: every typed word as a word prefix, through the
full-text index (migration 030: SQLite FTS5; migration 110: PostgreSQL's
stored tsvector with GIN), never a scan.  The plan follows how common the
words are: a few matches are fetched by id and sorted, many are tested while
walking the queue's own order.
"""
import re
import time

from peewee import SQL, Expression, NodeList, SqliteDatabase, fn

from portal.complaints.models import Complaint
from portal.db import database

_WORD = re.compile(r"\w+", re.UNICODE)
# Above this many matching complaints a search walks the sort order instead
# of sorting its matches (about where the two cost the same on SQLite).
DENSE_WORD = 2000
MAX_TERMS = 16  # words a prefix may stand for in the dense plan


def words_of(q: str) -> list[str]:
    """The words of a typed search, lower case, at most eight."""
    return _WORD.findall(q.lower())[:8]


def fts_prefixes(words: list[str]) -> str:
    """An FTS5 query: every word as a quoted prefix (no syntax reaches the index)."""
    return " ".join(f'"{w}"*' for w in words)


def _terms_with(word: str) -> list[tuple[str, int]]:
    """[(indexed word starting with `word`, complaints holding it)], most frequent first."""
    upper = word[:-1] + chr(ord(word[-1]) + 1)
    return database.execute_sql(
        "SELECT term, SUM(doc) FROM complaint_fts_vocab WHERE term >= ? AND term < ? "
        "GROUP BY term ORDER BY 2 DESC", (word, upper)).fetchall()


def text_match(q: str, walk: bool = True):
    """Complaints whose title or body has every typed word (as a word prefix).

    Through the full-text index (migration 030), never a scan: SQLite FTS5,
    or on PostgreSQL the `simple` tsvector behind a GIN index.
    """
    words = words_of(q)
    if not words:
        return SQL("1 = 0")
    if isinstance(database.obj, SqliteDatabase):
        match = fts_prefixes(words)
        terms = [_terms_with(w) for w in words]
        if not walk or min(sum(n for _t, n in found) for found in terms) <= DENSE_WORD:
            # Few matches, or every match is needed anyway (the counts):
            # fetch them by id.
            return Complaint.id.in_(SQL("(SELECT rowid FROM complaint_fts "
                                        "WHERE complaint_fts MATCH ?)", (match,)))
        if max(len(found) for found in terms) > MAX_TERMS:
            # A very short prefix ("j"): keep the prefix query, walk the
            # order ("+" stops SQLite from driving the query by id).
            return NodeList((SQL("+"), Complaint.id), glue="").in_(
                SQL("(SELECT rowid FROM complaint_fts WHERE complaint_fts MATCH ?)", (match,)))
        # Many matches: walk the queue's own order and test each row against
        # the index.  A prefix query would merge doclists on every probe, so
        # the prefix is spelled out as the indexed words it stands for.
        exact = " AND ".join("(" + " OR ".join(f'"{t}"' for t, _n in found) + ")"
                             for found in terms)
        return NodeList((SQL("EXISTS (SELECT 1 FROM complaint_fts WHERE complaint_fts MATCH ? "
                             "AND complaint_fts.rowid =", (exact,)), Complaint.id, SQL(")")))
    query = " & ".join(f"{w}:*" for w in words)
    # The stored tsvector of migration 110, GIN-indexed.
    match = Expression(SQL("search_doc"), "@@", fn.to_tsquery(SQL("'simple'"), query))
    # Many matches for every word: as written, and the planner walks the
    # queue's order testing rows (what it already picks for them).  Few for
    # some word: their ids first, then sorted.
    if all(_postgres_common(w) for w in words):
        return match
    ids = _postgres_matches(query)
    return Complaint.id.in_(ids) if ids is not None else match


_WORD_STATS: dict = {}
WORD_STATS_SECONDS = 300


def _postgres_common(word: str) -> bool:
    """Whether ANALYZE's statistics say more than DENSE_WORD complaints hold
    a word starting with `word`.

    Why: the probe below has the GIN index build its whole bitmap before it
    returns a row: cheap for a rare word, 150 ms for "jalan" at a million.
    The column's most common words and their shares (pg_stats) answer for
    common words at no cost; a word not among them is rare enough to probe.
    Read again every few minutes (ANALYZE runs nightly).
    """
    key = database.obj.database
    kept = _WORD_STATS.get(key)
    if kept is None or time.monotonic() - kept[0] > WORD_STATS_SECONDS:
        row = database.execute_sql(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
            "FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename "
            "WHERE s.tablename = 'complaint' AND s.attname = 'search_doc'").fetchone()
        words, shares, rows = row if row and row[0] else ([], [], 0)
        # The shares carry three figures more (min, max, empty share): zip stops at the words.
        kept = _WORD_STATS[key] = (time.monotonic(), {
            w: f * max(rows, 0) for w, f in zip(words, shares, strict=False)})
    return sum(n for w, n in kept[1].items() if w.startswith(word)) > DENSE_WORD


def _postgres_matches(query: str) -> list[int] | None:
    """The ids matching `query`, or None when there are more than DENSE_WORD.

    Why: PostgreSQL estimates any prefix search ("kucing:*") at about 2 % of
    the rows, however rare the word, so it walked the creation order testing
    every row for a word that 1 complaint in 10,000 holds (2.7 s at 100,000).
    The GIN index answers "which rows, up to DENSE_WORD + 1" in milliseconds
    for any word, which decides the plan on what is really there, as the
    vocabulary table does on SQLite.  Sequential scans are off for this one
    read only, so a rare word never scans the table looking for 2,001 rows.
    """
    with database.atomic():
        database.execute_sql("SET LOCAL enable_seqscan = off")
        rows = database.execute_sql(
            "SELECT id FROM complaint WHERE search_doc @@ to_tsquery('simple', %s) LIMIT %s",
            (query, DENSE_WORD + 1)).fetchall()
    return [r[0] for r in rows] if len(rows) <= DENSE_WORD else None
