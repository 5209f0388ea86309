"""The data contract: the records each file is read into (schema), the vocabularies, the YAML and Markdown
readers that remember lines, the checks a figure must pass, and problems as ``path:line: message``."""
