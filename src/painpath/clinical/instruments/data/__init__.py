"""Package data: value sets (EQ-5D-5L UK crosswalk, van Hout 2012). See README.eq5d5l.md."""
