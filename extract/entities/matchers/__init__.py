"""spaCy components that find weapon systems, people, countries and dates.

Each component writes its spans to ``doc.spans[<TYPE>]`` and the facts about each match
(gazetteer entry, matcher, basis) to the span's ``_.match`` extension, so every entity row
can say how it was found.
"""
