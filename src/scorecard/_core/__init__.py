"""The shared base of every step: array types, input validation, attrs fields, count
statistics and the versioned JSON envelope of artifacts.  Nothing here knows a step of the
credit cycle; every other package imports from here, never the other way round."""
