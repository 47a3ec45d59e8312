"""Instance reasoning by rules: what HermiT derives about the individuals, computed in time
linear in the data once the ontology is classified.

The ontology's individual-level axioms compile to a few rule kinds, applied to a fixpoint:
domains and ranges, sub-properties, inverses, property chains, ``C ⊑ ∃p.{v}`` (a value every
member has), and the defined classes ``C ≡ E`` where E is built from named classes,
intersections, unions, ``∃p.E`` and ``∃p.{v}`` (members of E become members of C). Types then
climb the class hierarchy HermiT computed. Disjoint classes and functional properties whose
values are declared different are checked afterwards (an inconsistency is an error, as with
HermiT). Last, the facts are closed under the project's class hierarchy, super-properties and
inverses, and what is not asserted is the inferred graph. ``tests/test_reasoning.py`` checks
that it equals HermiT's on the real data.

The ontology is read with rdflib; the data arrive as rows of plain strings (``Row``) and every
term is interned as a small integer, so the rules hash and compare ints — millions of triples
take seconds, and no rdflib term is made for the data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from .errors import InconsistencyError
from .namespaces import BASE

OBO_PREFIX = "http://purl.obolibrary.org/obo/"
IGNORED_TYPES = frozenset((OWL.Thing, OWL.NamedIndividual, OWL.Nothing))

Row = tuple[str | None, str, str | None]
"""An asserted triple as the rules read it: the subject's IRI (None for a blank node), the
predicate's IRI, the object's IRI (None for a literal or a blank node)."""

Expr = tuple
"""A compiled class expression: ("class", c), ("and", [E...]), ("or", [E...]),
("one", {v...}), ("value", p, v), ("some", p, E) or ("none",)."""


def key(term: Node) -> str:
    """A term as a plain string: an IRI itself, a blank node ``_:label``, a literal its N3."""
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return term.n3()


class Terms:
    """Interned terms: each term's key gets a small integer id."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.keys: list[str] = []
        self.non_iris: set[int] = set()  # the ontology's blank nodes and literals

    def intern(self, text: str) -> int:
        found = self.ids.get(text)
        if found is None:
            found = self.ids[text] = len(self.keys)
            self.keys.append(text)
        return found

    def of(self, term: Node) -> int:
        found = self.intern(key(term))
        if not isinstance(term, URIRef):
            self.non_iris.add(found)
        return found

    def copy(self) -> Terms:
        terms = Terms()
        terms.ids, terms.keys = dict(self.ids), list(self.keys)
        terms.non_iris = set(self.non_iris)
        return terms


@dataclass
class Facts:
    """Types and object-property values of individuals (interned ids), indexed both ways."""

    types: defaultdict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    members: defaultdict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    values: defaultdict[int, defaultdict[int, set[int]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set)))

    def add_type(self, node: int, cls: int) -> bool:
        classes = self.types[node]
        if cls in classes:
            return False
        classes.add(cls)
        self.members[cls].add(node)
        return True

    def add_value(self, s: int, p: int, o: int) -> bool:
        objects = self.values[p][s]
        if o in objects:
            return False
        objects.add(o)
        return True

    def pairs(self, p: int) -> Iterator[tuple[int, int]]:
        for s, objects in list(self.values[p].items()):
            for o in list(objects):
                yield s, o

T = TypeVar("T")


def _list(ontology: Graph, head: Node | None) -> list[Node]:
    return list(Collection(ontology, head)) if head is not None else []


def all_ancestors(node: T, parents: Mapping[T, set[T]]) -> set[T]:
    """Every node reachable from ``node`` through ``parents`` (the node itself only on a cycle)."""
    seen: set[T] = set()
    stack = [node]
    while stack:
        for parent in parents.get(stack.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


class Rules:
    """The ontology's individual-level axioms, compiled once to interned ids."""

    def __init__(self, ontology: Graph, hierarchy: Graph) -> None:
        self.terms = terms = Terms()
        of = terms.of
        self.type = of(RDF.type)
        self.ignored = {of(t) for t in IGNORED_TYPES}
        named_properties = {p for p in ontology.subjects(RDF.type, OWL.ObjectProperty)
                            if isinstance(p, URIRef)}
        named_classes = {c for c in ontology.subjects(RDF.type, OWL.Class)
                         if isinstance(c, URIRef)}
        self.properties = {of(p) for p in named_properties}
        self.classes = {of(c) for c in named_classes}
        self.domains = [(of(p), of(d)) for p, d in ontology.subject_objects(RDFS.domain)
                        if p in named_properties and isinstance(d, URIRef)]
        self.ranges = [(of(p), of(r)) for p, r in ontology.subject_objects(RDFS.range)
                       if p in named_properties and isinstance(r, URIRef)]
        self.sub_properties = [(of(a), of(b))
                               for a, b in ontology.subject_objects(RDFS.subPropertyOf)
                               if a in named_properties and b in named_properties]
        self.inverses = [(of(a), of(b)) for a, b in ontology.subject_objects(OWL.inverseOf)
                         if isinstance(a, URIRef) and isinstance(b, URIRef)]
        self.chains = [(of(p), [of(x) for x in _list(ontology, chain)])
                       for p, chain in ontology.subject_objects(OWL.propertyChainAxiom)]
        # C ⊑ ∃p.{v}: every member of C (named or an expression) has p v
        self.has_values: list[tuple[Expr, int, int]] = []
        for cls, sup in ontology.subject_objects(RDFS.subClassOf):
            value, prop = ontology.value(sup, OWL.hasValue), ontology.value(sup, OWL.onProperty)
            if isinstance(sup, BNode) and value is not None and prop is not None:
                self.has_values.append((self._compile(ontology, cls), of(prop), of(value)))
        self.definitions = [(of(c), self._compile(ontology, e))
                            for c, e in ontology.subject_objects(OWL.equivalentClass)
                            if isinstance(c, URIRef) and isinstance(e, BNode)]
        parents: dict[int, set[int]] = defaultdict(set)
        for sub, sup in hierarchy.subject_objects(RDFS.subClassOf):
            if sub in named_classes and sup in named_classes and sub != sup:
                parents[of(sub)].add(of(sup))
        for a, b in ontology.subject_objects(OWL.equivalentClass):
            if isinstance(a, URIRef) and isinstance(b, URIRef):
                parents[of(a)].add(of(b))
                parents[of(b)].add(of(a))
        self.ancestors = {c: all_ancestors(c, parents) for c in list(parents)}
        self._compile_checks(ontology)
        self._compile_closure(ontology, hierarchy, named_classes, named_properties)
        # what the ontology itself states about individuals: facts the rules start from
        self.ontology_facts: set[tuple[int, int, int]] = set()
        for s, p, o in ontology:
            if p == RDF.type and o in named_classes:
                self.ontology_facts.add((of(s), self.type, of(o)))
            elif p in named_properties and isinstance(o, URIRef | BNode):
                self.ontology_facts.add((of(s), of(p), of(o)))

    def _compile(self, onto: Graph, expr: Node) -> Expr:
        """A class expression as nested tuples of ids."""
        of = self.terms.of
        if isinstance(expr, URIRef):
            return ("class", of(expr))
        if (parts := onto.value(expr, OWL.intersectionOf)) is not None:
            return ("and", [self._compile(onto, part) for part in _list(onto, parts)])
        if (parts := onto.value(expr, OWL.unionOf)) is not None:
            return ("or", [self._compile(onto, part) for part in _list(onto, parts)])
        if (items := onto.value(expr, OWL.oneOf)) is not None:
            return ("one", {of(item) for item in _list(onto, items)})
        prop = onto.value(expr, OWL.onProperty)
        if prop is None:
            return ("none",)
        if (value := onto.value(expr, OWL.hasValue)) is not None:
            return ("value", of(prop), of(value))
        if (filler := onto.value(expr, OWL.someValuesFrom)) is not None:
            return ("some", of(prop), self._compile(onto, filler))
        return ("none",)

    def _compile_checks(self, onto: Graph) -> None:
        of = self.terms.of
        self.disjoint = [(of(a), of(b)) for a, b in onto.subject_objects(OWL.disjointWith)]
        for group in onto.subjects(RDF.type, OWL.AllDisjointClasses):
            members = [of(m) for m in _list(onto, onto.value(group, OWL.members))]
            self.disjoint += [(a, b) for i, a in enumerate(members) for b in members[i + 1:]]
        self.different: set[frozenset[int]] = set()
        for group in onto.subjects(RDF.type, OWL.AllDifferent):
            items = [of(x) for x in _list(onto, onto.value(group, OWL.distinctMembers))]
            self.different |= {frozenset((a, b))
                               for i, a in enumerate(items) for b in items[i + 1:]}
        self.functional = [of(p) for p in onto.subjects(RDF.type, OWL.FunctionalProperty)]

    def _compile_closure(self, onto: Graph, hierarchy: Graph, named_classes: set[URIRef],
                         named_properties: set[URIRef]) -> None:
        """The materialised closure: the classes whose members are written (all but the OBO
        classes the ontology is aligned to, which SPARQL reaches through ``rdfs:subClassOf*``
        in the ontology graph), their ancestors, super- and inverse properties."""
        of = self.terms.of
        closure_classes = {c for c in named_classes if not str(c).startswith(OBO_PREFIX)}
        self.closure_classes = {of(c) for c in closure_classes}
        class_parents: dict[int, set[int]] = defaultdict(set)
        for sub, sup in hierarchy.subject_objects(RDFS.subClassOf):
            if sub in closure_classes and sup in closure_classes and sub != sup:
                class_parents[of(sub)].add(of(sup))
        self.class_ancestors = {c: all_ancestors(c, class_parents) for c in self.closure_classes}
        prop_parents: dict[int, set[int]] = defaultdict(set)
        for sub, sup in onto.subject_objects(RDFS.subPropertyOf):
            if sub in named_properties and sup in named_properties:
                prop_parents[of(sub)].add(of(sup))
        self.super_properties = {p: {p} | all_ancestors(p, prop_parents) for p in self.properties}
        self.inverse_of: dict[int, set[int]] = defaultdict(set)
        for a, b in onto.subject_objects(OWL.inverseOf):
            if not (isinstance(a, URIRef) and isinstance(b, URIRef)):
                continue  # an inverse of an inverse expression names no property to write
            self.inverse_of[of(a)].add(of(b))
            self.inverse_of[of(b)].add(of(a))

    # -- the rules -----------------------------------------------------------------------

    def _members(self, facts: Facts, expr: Expr) -> set[int]:
        """The individuals known to belong to a class expression."""
        kind = expr[0]
        if kind == "class":
            return set(facts.members.get(expr[1], ()))
        if kind == "and":
            sets = [self._members(facts, part) for part in expr[1]]
            return set.intersection(*sets) if sets else set()
        if kind == "or":
            return set().union(*(self._members(facts, part) for part in expr[1]))
        if kind == "one":
            return set(expr[1])
        if kind == "value":
            value = expr[2]
            return {s for s, objects in facts.values.get(expr[1], {}).items() if value in objects}
        if kind == "some":
            wanted = self._members(facts, expr[2])
            return {s for s, objects in facts.values.get(expr[1], {}).items()
                    if not objects.isdisjoint(wanted)}
        return set()

    def _round(self, facts: Facts) -> bool:
        """Apply every rule once (whole sets at a time where a rule allows); True if anything
        was added."""
        changed = False
        values, members = facts.values, facts.members
        for sub, sup in self.sub_properties:
            target = values[sup]
            for s, objects in list(values[sub].items()):
                have = target[s]
                if not objects <= have:
                    have |= objects
                    changed = True
        for a, b in self.inverses:
            for forward, backward in ((a, b), (b, a)):
                target = values[backward]
                for s, objects in list(values[forward].items()):
                    for o in list(objects):
                        have = target[o]
                        if s not in have:
                            have.add(s)
                            changed = True
        for prop, (first, second) in ((p, c) for p, c in self.chains if len(c) == 2):
            for s, middle in facts.pairs(first):
                for o in list(values[second].get(middle, ())):
                    changed |= facts.add_value(s, prop, o)
        for prop, cls in self.domains:
            for s in values[prop].keys() - members[cls]:
                changed |= facts.add_type(s, cls)
        for prop, cls in self.ranges:
            for o in set().union(*values[prop].values()) - members[cls]:
                changed |= facts.add_type(o, cls)
        for expr, prop, value in self.has_values:  # expr may be a class expression (a GCI)
            for member in self._members(facts, expr):
                changed |= facts.add_value(member, prop, value)
        for cls, expr in self.definitions:
            for member in self._members(facts, expr) - members[cls]:
                changed |= facts.add_type(member, cls)
        ancestors = self.ancestors
        for node, classes in facts.types.items():
            missing = set().union(*(ancestors.get(cls, ()) for cls in classes)) - classes
            if missing:
                classes |= missing
                for cls in missing:
                    members[cls].add(node)
                changed = True
        return changed

    def infer(self, data: Iterable[Row]) -> list[tuple[str, str, str]]:
        """The inferred graph of the ontology and the asserted ``data``: the triples, as IRIs,
        that the rules derive and the data do not assert.

        Raises InconsistencyError when the facts break a disjointness or a functional
        property."""
        terms = self.terms.copy()
        facts = Facts()
        for s, p, o in self.ontology_facts:
            if p == self.type:
                facts.add_type(s, o)
            else:
                facts.add_value(s, p, o)
        asserted = self._read(terms, facts, data)
        while self._round(facts):
            pass
        self.check(facts, terms)
        keys = terms.keys
        return [(keys[s], keys[p], keys[o]) for s, p, o in self._closure(facts, asserted, terms)]

    def _read(self, terms: Terms, facts: Facts, data: Iterable[Row]) -> set[tuple[int, int, int]]:
        """Add the data's types in ontology classes and object-property values between the
        project's individuals to ``facts`` (what HermiT gets); return the asserted triples the
        closure could make (to leave them out of the inferred graph)."""
        ids, intern = terms.ids, terms.intern
        typ, classes, properties = self.type, self.classes, self.properties
        closed = properties | set(self.inverse_of)
        asserted: set[tuple[int, int, int]] = set()
        for s, p, o in data:
            if s is None or o is None:
                continue
            pid = ids.get(p)
            if pid is None:
                continue
            if pid == typ:
                cls = ids.get(o)
                if cls not in classes:
                    continue
                triple = (intern(s), typ, cls)
                if s.startswith(BASE):
                    facts.add_type(triple[0], cls)
            elif pid in closed:
                triple = (intern(s), pid, intern(o))
                if pid in properties and s.startswith(BASE):
                    facts.add_value(*triple)
            else:
                continue
            asserted.add(triple)
        return asserted

    def _closure(self, facts: Facts, asserted: set[tuple[int, int, int]],
                 terms: Terms) -> set[tuple[int, int, int]]:
        """Asserted and derived facts about the project's individuals, closed under the class
        hierarchy, super- and inverse properties; minus what is asserted. (A fact the ontology
        states but the data do not is not a derivation and is left out, as from HermiT.)"""
        keys, non_iris, typ = terms.keys, terms.non_iris, self.type
        ignored, ontology_only = self.ignored, self.ontology_facts - asserted
        inferred: set[tuple[int, int, int]] = set()
        for node, classes in facts.types.items():
            if not keys[node].startswith(BASE):
                continue
            closed: set[int] = set()
            for cls in classes & self.closure_classes:
                if (node, typ, cls) not in ontology_only:
                    closed.add(cls)
                    closed |= self.class_ancestors[cls]
            for cls in closed - ignored:
                if (triple := (node, typ, cls)) not in asserted:
                    inferred.add(triple)
        for p, by_subject in facts.values.items():
            if p not in self.properties:
                continue
            supers = [(prop, self.inverse_of.get(prop, ())) for prop in self.super_properties[p]]
            for s, objects in by_subject.items():
                if not keys[s].startswith(BASE):
                    continue
                for o in objects:
                    if o in non_iris or o in ignored or (s, p, o) in ontology_only:
                        continue
                    for prop, inverses in supers:
                        if (triple := (s, prop, o)) not in asserted:
                            inferred.add(triple)
                        for inverse in inverses:
                            if s not in ignored and (triple := (o, inverse, s)) not in asserted:
                                inferred.add(triple)
        return inferred

    def check(self, facts: Facts, terms: Terms) -> None:
        """Raise InconsistencyError for a member of two disjoint classes, or two values of a
        functional property declared different."""
        keys = terms.keys
        for a, b in self.disjoint:
            both = facts.members.get(a, set()) & facts.members.get(b, set())
            if both:
                node = min(keys[n] for n in both)
                raise InconsistencyError(
                    f"<{node}> is both a <{keys[a]}> and a <{keys[b]}>, which the ontology "
                    "declares disjoint (e.g. a study with both the prospective and the "
                    "retrospective design)")
        for prop in self.functional:
            for s, objects in facts.values.get(prop, {}).items():
                if len(objects) > 1 and any(frozenset((a, b)) in self.different
                                            for a in objects for b in objects if a != b):
                    raise InconsistencyError(
                        f"<{keys[s]}> has two different values of the functional property "
                        f"<{keys[prop]}>: " + ", ".join(f"<{o}>" for o in
                                                       sorted(keys[o] for o in objects)))
