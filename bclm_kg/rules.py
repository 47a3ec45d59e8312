"""Instance reasoning by rules: what HermiT derives about the individuals, computed in time
linear in the data once the ontology is classified.

The ontology's individual-level axioms compile to a few rule kinds, applied to a fixpoint:
domains and ranges, sub-properties, inverses, property chains, ``C ⊑ ∃p.{v}`` (a value every
member has), and the defined classes ``C ≡ E`` where E is built from named classes,
intersections, unions, ``∃p.E`` and ``∃p.{v}`` (members of E become members of C). Types then
climb the class hierarchy HermiT computed. Disjoint classes and functional properties whose
values are declared different are checked afterwards (an inconsistency is an error, as with
HermiT). ``tests/test_reasoning.py`` checks that the inferred graph equals HermiT's on the
real data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from .errors import InconsistencyError


@dataclass
class Facts:
    """Types and object-property values of individuals, indexed both ways."""

    types: defaultdict[Node, set[Node]] = field(default_factory=lambda: defaultdict(set))
    members: defaultdict[Node, set[Node]] = field(default_factory=lambda: defaultdict(set))
    values: defaultdict[Node, defaultdict[Node, set[Node]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set)))

    def add_type(self, node: Node, cls: Node) -> bool:
        if cls in self.types[node]:
            return False
        self.types[node].add(cls)
        self.members[cls].add(node)
        return True

    def add_value(self, s: Node, p: Node, o: Node) -> bool:
        objects = self.values[p][s]
        if o in objects:
            return False
        objects.add(o)
        return True

    def pairs(self, p: Node) -> Iterable[tuple[Node, Node]]:
        for s, objects in list(self.values[p].items()):
            for o in list(objects):
                yield s, o

    def triples(self) -> Iterator[tuple[Node, Node, Node]]:
        for node, classes in self.types.items():
            for cls in classes:
                yield node, RDF.type, cls
        for p, by_subject in self.values.items():
            for s, objects in by_subject.items():
                for o in objects:
                    yield s, p, o


def _list(ontology: Graph, head: Node) -> list[Node]:
    return list(Collection(ontology, head))


class Rules:
    """The ontology's individual-level axioms, compiled once."""

    def __init__(self, ontology: Graph, hierarchy: Graph) -> None:
        self.ontology = ontology
        self.properties = {p for p in ontology.subjects(RDF.type, OWL.ObjectProperty)
                           if isinstance(p, URIRef)}
        self.classes = {c for c in ontology.subjects(RDF.type, OWL.Class)
                        if isinstance(c, URIRef)}
        self.domains = [(p, d) for p, d in ontology.subject_objects(RDFS.domain)
                        if p in self.properties and isinstance(d, URIRef)]
        self.ranges = [(p, r) for p, r in ontology.subject_objects(RDFS.range)
                       if p in self.properties and isinstance(r, URIRef)]
        self.sub_properties = [(a, b) for a, b in ontology.subject_objects(RDFS.subPropertyOf)
                               if a in self.properties and b in self.properties]
        self.inverses = [(a, b) for a, b in ontology.subject_objects(OWL.inverseOf)
                         if isinstance(a, URIRef) and isinstance(b, URIRef)]
        self.chains = [(p, _list(ontology, chain))
                       for p, chain in ontology.subject_objects(OWL.propertyChainAxiom)]
        self.has_values = []  # C ⊑ ∃p.{v}: every member of C (named or an expression) has p v
        for cls, sup in ontology.subject_objects(RDFS.subClassOf):
            value = ontology.value(sup, OWL.hasValue)
            if isinstance(sup, BNode) and value is not None:
                self.has_values.append((cls, ontology.value(sup, OWL.onProperty), value))
        self.definitions = [(c, e) for c, e in ontology.subject_objects(OWL.equivalentClass)
                            if isinstance(c, URIRef) and isinstance(e, BNode)]
        self.parents: dict[Node, set[Node]] = defaultdict(set)
        for sub, sup in hierarchy.subject_objects(RDFS.subClassOf):
            if sub in self.classes and sup in self.classes and sub != sup:
                self.parents[sub].add(sup)
        for a, b in ontology.subject_objects(OWL.equivalentClass):
            if isinstance(a, URIRef) and isinstance(b, URIRef):
                self.parents[a].add(b)
                self.parents[b].add(a)

    def _members(self, facts: Facts, expr: Node) -> set[Node]:
        """The individuals known to belong to a class expression."""
        onto = self.ontology
        if isinstance(expr, URIRef):
            return set(facts.members.get(expr, ()))
        if (parts := onto.value(expr, OWL.intersectionOf)) is not None:
            sets = [self._members(facts, part) for part in _list(onto, parts)]
            return set.intersection(*sets) if sets else set()
        if (parts := onto.value(expr, OWL.unionOf)) is not None:
            return set().union(*(self._members(facts, part) for part in _list(onto, parts)))
        if (items := onto.value(expr, OWL.oneOf)) is not None:
            return set(_list(onto, items))
        prop = onto.value(expr, OWL.onProperty)
        if prop is None:
            return set()
        if (value := onto.value(expr, OWL.hasValue)) is not None:
            return {s for s, objects in facts.values[prop].items() if value in objects}
        if (filler := onto.value(expr, OWL.someValuesFrom)) is not None:
            wanted = self._members(facts, filler)
            return {s for s, objects in facts.values[prop].items() if objects & wanted}
        return set()

    def _round(self, facts: Facts) -> bool:
        changed = False
        for sub, sup in self.sub_properties:
            for s, o in facts.pairs(sub):
                changed |= facts.add_value(s, sup, o)
        for a, b in self.inverses:
            for s, o in facts.pairs(a):
                changed |= facts.add_value(o, b, s)
            for s, o in facts.pairs(b):
                changed |= facts.add_value(o, a, s)
        for prop, (first, second) in ((p, c) for p, c in self.chains if len(c) == 2):
            for s, middle in facts.pairs(first):
                for o in list(facts.values[second].get(middle, ())):
                    changed |= facts.add_value(s, prop, o)
        for prop, cls in self.domains:
            for s in list(facts.values[prop]):
                changed |= facts.add_type(s, cls)
        for prop, cls in self.ranges:
            for _s, o in facts.pairs(prop):
                changed |= facts.add_type(o, cls)
        for cls, prop, value in self.has_values:  # cls may be a class expression (a GCI)
            for member in list(self._members(facts, cls)):
                changed |= facts.add_value(member, prop, value)
        for cls, expr in self.definitions:
            for member in self._members(facts, expr):
                changed |= facts.add_type(member, cls)
        for node, classes in list(facts.types.items()):
            for cls in list(classes):
                for parent in self.parents.get(cls, ()):
                    changed |= facts.add_type(node, parent)
        return changed

    def apply(self, data: Iterable[tuple[Node, Node, Node]]) -> Facts:
        """Apply the rules to the types and object-property values in ``data`` to a fixpoint."""
        facts = Facts()
        for s, p, o in data:
            if p == RDF.type and o in self.classes:
                facts.add_type(s, o)
            elif p in self.properties and isinstance(o, URIRef | BNode):
                facts.add_value(s, p, o)
        while self._round(facts):
            pass
        self.check(facts)
        return facts

    def check(self, facts: Facts) -> None:
        """Raise InconsistencyError for a member of two disjoint classes, or two values of a
        functional property declared different."""
        onto = self.ontology
        pairs = [(a, b) for a, b in onto.subject_objects(OWL.disjointWith)]
        for group in onto.subjects(RDF.type, OWL.AllDisjointClasses):
            members = _list(onto, onto.value(group, OWL.members))
            pairs += [(a, b) for i, a in enumerate(members) for b in members[i + 1:]]
        for a, b in pairs:
            both = facts.members.get(a, set()) & facts.members.get(b, set())
            if both:
                node = sorted(both)[0]
                raise InconsistencyError(
                    f"<{node}> is both a <{a}> and a <{b}>, which the ontology declares "
                    "disjoint (e.g. a study with both the prospective and the retrospective "
                    "design)")
        different: set[frozenset[Node]] = set()
        for group in onto.subjects(RDF.type, OWL.AllDifferent):
            items = _list(onto, onto.value(group, OWL.distinctMembers))
            different |= {frozenset((a, b)) for i, a in enumerate(items) for b in items[i + 1:]}
        for prop in onto.subjects(RDF.type, OWL.FunctionalProperty):
            for s, objects in facts.values.get(prop, {}).items():
                if len(objects) > 1 and any(frozenset((a, b)) in different
                                            for a in objects for b in objects if a != b):
                    raise InconsistencyError(
                        f"<{s}> has two different values of the functional property <{prop}>: "
                        + ", ".join(f"<{o}>" for o in sorted(objects)))
