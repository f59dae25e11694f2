"""Views, one module per area: short functions that check access, call the model, render."""
