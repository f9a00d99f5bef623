"""What the city admin maintains across domains: the directory, with
checks that nothing still points at a row before it goes."""
