"""Classification lists: what registrations store as codes, and how codes read as words.

Answers are stored as codes (ISCO-08 occupations, ISCED 2011 levels, ISCED-F 2013 fields,
CLDR language and country codes, CEFR levels) so that exports and statistics need no
retyping; labels are looked up in the reader's language when a page or export is made.

Each list lives in its own module (occupations, education, languages, countries, cefr) and
loads its data on first use, not on import, so importing this package stays cheap. Nothing
here knows about Flask or requests: locales are plain strings such as "nb" or "fa_AF".
The data files in data/ are derived by build_data from the sources in data/SOURCES.md.
"""
