"""`policyqa docs [--json] [--index DIR]`: list the indexed documents (reads the index, never changes it).

The table shows id, title, 文号, issuer, date, region and clause count. ``--json`` prints a
list of objects with these fields:

==============  =====================================================================
field           meaning
==============  =====================================================================
id              document id (``<stem>#<n>``), what ``policyqa remove`` and ``--doc`` take
title           title as stated in the text ("" when none)
doc_number      文号, e.g. "扬府办发〔2022〕37号" ("" when none)
issuers         issuing bodies (发文机关), a list of strings
date            ISO date of issue, or ""
region          region the document applies to, e.g. "扬州市", or ""
clauses         number of clauses indexed
source          file name in the corpus folder
original_name   the name the file was added under (differs for dot / non-UTF-8 names)
status          现行有效 / 已被修订 / 已废止 / 尚未施行 / 已失效 / 规划期已结束, judged on
                ``--today`` / ``POLICYQA_TODAY`` (default: the system date)
effective_date  ISO date the text takes effect (自…起施行, else its date), or ""
superseded_by   id of the later version in the collection that replaces it, or ""
plan_period     e.g. "2021—2025" for a plan, or ""
version_group   documents sharing it are versions of one instrument
==============  =====================================================================
"""

from __future__ import annotations

import argparse
import json
import sys


def add_arguments(p: argparse.ArgumentParser) -> None:
    from policyqa.config import add_common_arguments

    add_common_arguments(p, corpus=True)
    p.add_argument("--json", action="store_true", help="print the documents as a JSON list")


def run(args: argparse.Namespace) -> int:
    from policyqa import config

    s = config.settings_from_args(args)
    store = config.open_store(s, progress=False)
    store.index = config.read_index(s, embedder=store.embedder)
    rows = store.docs()
    from ingest.status import document_status_rows

    status = {r["doc_id"]: r for r in document_status_rows(store.index.metas.values(), s.today_iso)}
    for r in rows:
        st = status.get(r["id"], {})
        r.update({k: st.get(k, "") for k in ("status", "effective_date", "superseded_by", "plan_period", "note",
                                             "version_group")})
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for r in rows:
        print("\t".join([r["id"], r["title"] or r["source"], r["doc_number"], "、".join(r["issuers"]), r["date"],
                         r["region"], f"{r['clauses']} 条", r["status"]]))
    print(f"共 {len(rows)} 个文件。", file=sys.stderr)
    return 0
