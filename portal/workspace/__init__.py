"""The staff workspace: the OPD queue read model over complaints and deadlines."""
