"""Judgements: each target beside the result later reported for its period (plan), each promise in words
beside what later reports say of it (promises)."""
