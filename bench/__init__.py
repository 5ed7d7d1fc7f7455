"""Benchmarks for Common Ground. Each prints a table we commit; see bench/README.md."""
