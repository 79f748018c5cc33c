"""Step 2 of the credit cycle, *analyze*: fine classes, the optimal-binning adapter, coarse
bins with WOE and IV, the feature report and the pre-selection of features."""
