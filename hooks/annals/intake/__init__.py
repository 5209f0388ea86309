"""``annals import``: a report file in (txt, docx, md), its faithful Markdown and candidate figures,
promises and answers out; the sample archive regenerated from the seeds."""
