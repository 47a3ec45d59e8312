// Enhances /evidence: a ticked facet, a new sort or a column choice applies at once.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("facets");
  if (!form) return;
  form.addEventListener("change", (event) => {
    if (event.target.matches("input[type=checkbox], select")) form.requestSubmit();
  });
  document.getElementById("apply").hidden = true;
  form.addEventListener("submit", () => {
    // Leave empty fields out of the URL so it stays short and reproducible.
    for (const input of form.querySelectorAll("input[type=number], input[name=q]")) {
      if (!input.value) input.disabled = true;
    }
  });
});
