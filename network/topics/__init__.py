"""Topics (Themen), fields of action, lead claims and the network's division-of-labour matrix."""
