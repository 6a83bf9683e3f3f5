#!/usr/bin/env python3
"""Checks that the Prometheus rules and the Grafana dashboard only use metrics the sample app exports.

  metric_names.py used RULES DASHBOARD              print the metric names the two files read
  metric_names.py dashboard-rules DASHBOARD OUT      write the dashboard's queries as a rules file, so that
                                                     `promtool check rules OUT` parses every query
  metric_names.py compare RULES DASHBOARD SCRAPE...  fail unless every name read is in one of the scrapes
  metric_names.py labels RULES DASHBOARD             fail unless every label used is a bounded one (case C18)
                                                     and every by() clause keeps namespace

Names are taken from PromQL by dropping strings, label matchers, ranges, grouping clauses, functions and
keywords; what remains are metric names. Names recorded by the rules file count as defined.
"""
import json
import re
import sys

import yaml

KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless",
            "offset", "inf", "nan", "atan2"}
GRAFANA_VARS = {"$__rate_interval": "5m", "$__range": "1h", "$__interval": "1m", "${__range}": "1h"}


def rule_exprs(rules_path):
    with open(rules_path) as f:
        doc = yaml.safe_load(f)
    exprs, recorded = [], set()
    for group in doc["groups"]:
        for rule in group["rules"]:
            exprs.append(rule["expr"])
            if "record" in rule:
                recorded.add(rule["record"])
    return exprs, recorded


def dashboard_exprs(dashboard_path):
    with open(dashboard_path) as f:
        doc = json.load(f)
    exprs = []

    def walk(panels):
        for panel in panels:
            exprs.extend(t["expr"] for t in panel.get("targets", []) if t.get("expr"))
            walk(panel.get("panels", []))

    walk(doc.get("panels", []))
    for var in doc.get("templating", {}).get("list", []):
        query = var.get("query")
        query = query.get("query") if isinstance(query, dict) else query
        match = re.fullmatch(r"\s*label_values\((.*),\s*\w+\)\s*", query or "")
        if var.get("type") == "query" and match:
            exprs.append(match.group(1))
        elif var.get("type") == "query":
            sys.exit(f"metric_names: unsupported template query in variable {var.get('name')}: {query}")
    return exprs


def names_in(expr):
    text = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', expr)
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    text = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    text = re.sub(r"\$\{?\w+\}?", " ", text)
    found = set()
    for match in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", text):
        rest = text[match.end():].lstrip()
        word = match.group(0)
        if rest.startswith("(") or word.lower() in KEYWORDS:
            continue
        if re.fullmatch(r"\d*[eE]\d+", word):
            continue
        found.add(word)
    return found


def used(rules_path, dashboard_path):
    exprs, recorded = rule_exprs(rules_path)
    names = set()
    for expr in exprs + dashboard_exprs(dashboard_path):
        names |= names_in(expr)
    return names - recorded


# Labels whose values come from a closed set: configuration (policy, backend), code (outcome, degraded, shadow,
# state, area, status, uri templates), the JVM (gc, the collector's name) or the deployment (namespace, job,
# instance). Never a caller's key.
BOUNDED_LABELS = {"namespace", "job", "instance", "policy", "outcome", "degraded", "shadow", "backend", "state", "le",
                  "area", "gc", "status", "uri"}


def labels_in(expr):
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    found = set()
    for matchers in re.findall(r"\{([^}]*)\}", text):
        found |= set(re.findall(r"([A-Za-z_]\w*)\s*(?:=~|!~|!=|=)", matchers))
    for grouping in re.findall(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)", text):
        found |= {label.strip() for label in grouping.split(",") if label.strip()}
    return found


def labels(rules_path, dashboard_path):
    exprs, _ = rule_exprs(rules_path)
    found = set()
    for expr in exprs + dashboard_exprs(dashboard_path):
        found |= labels_in(expr)
    with open(rules_path) as f:
        found |= set(re.findall(r"\$labels\.(\w+)", f.read()))
    return found


def groupings_without_namespace(rules_path, dashboard_path):
    """The by() clauses that drop namespace: they would sum two namespaces running the same job together."""
    exprs, _ = rule_exprs(rules_path)
    missing = []
    for expr in exprs + dashboard_exprs(dashboard_path):
        for grouping in re.findall(r"\bby\s*\(([^)]*)\)", expr):
            if "namespace" not in {label.strip() for label in grouping.split(",")}:
                missing.append(f"by ({grouping.strip()}) in {' '.join(expr.split())[:100]}")
    return missing


def scraped(paths):
    names = set()
    for path in paths:
        with open(path) as f:
            for line in f:
                match = re.match(r"([A-Za-z_:][A-Za-z0-9_:]*)(?:\{|\s)", line)
                if match and not line.startswith("#"):
                    names.add(match.group(1))
    return names


def dashboard_rules(dashboard_path, out_path):
    rules = []
    for i, expr in enumerate(dashboard_exprs(dashboard_path)):
        for var, value in GRAFANA_VARS.items():
            expr = expr.replace(var, value)
        expr = re.sub(r"\$\{?\w+\}?", ".*", expr)
        rules.append({"record": f"dashboard_query_{i}", "expr": expr})
    with open(out_path, "w") as f:
        yaml.safe_dump({"groups": [{"name": "dashboard-queries", "rules": rules}]}, f, sort_keys=False)
    print(f"metric_names: wrote {len(rules)} dashboard queries to {out_path}")


def main(argv):
    if len(argv) == 4 and argv[1] == "used":
        print("\n".join(sorted(used(argv[2], argv[3]))))
    elif len(argv) == 4 and argv[1] == "dashboard-rules":
        dashboard_rules(argv[2], argv[3])
    elif len(argv) >= 5 and argv[1] == "compare":
        wanted, have = used(argv[2], argv[3]), scraped(argv[4:])
        missing = sorted(wanted - have)
        if not wanted:
            sys.exit("metric_names: no metric names found in the rules and dashboard; the parser is broken")
        if missing:
            print("metric_names: used by the rules or dashboard but not exported by the sample app:", file=sys.stderr)
            for name in missing:
                print(f"  {name}", file=sys.stderr)
            sys.exit(1)
        print(f"metric_names: all {len(wanted)} metric names used are exported: {', '.join(sorted(wanted))}")
    elif len(argv) == 4 and argv[1] == "labels":
        found = labels(argv[2], argv[3])
        unbounded = sorted(found - BOUNDED_LABELS)
        if unbounded:
            sys.exit(f"metric_names: labels outside the bounded set are used: {', '.join(unbounded)}")
        dropped = groupings_without_namespace(argv[2], argv[3])
        if dropped:
            sys.exit("metric_names: by() clauses without namespace:\n  " + "\n  ".join(dropped))
        print(f"metric_names: only bounded labels are used, every by() keeps namespace: {', '.join(sorted(found))}")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
