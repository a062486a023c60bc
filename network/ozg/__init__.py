"""OZG-Leistungen (issue #19, part 2): the federal catalogue, each city's implementation status, the network matrix."""
