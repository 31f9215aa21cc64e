"""Tensor ops, one family per module; each op's forward and backward sit side by side.

Every op computes its result from raw arrays and calls `autograd.record.record` with a
module-level backward function and the raw arrays it saved (never the output node).
"""
