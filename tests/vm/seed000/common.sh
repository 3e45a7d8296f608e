# Shared by the seed 000 layouts (sourced by each *.conf): one zone, the
# board programs, no second load.
BITS=32
EXTRA_LOADS=0
LAYOUT_TESTS="exhaust remap alias share forkmap flush odirect"
HISI_REFUSALS= CMA_REFUSALS= HISI_PARAM= CMA_PARAM=
export MMZ_TEST_FILL_ZONE=anonymous
