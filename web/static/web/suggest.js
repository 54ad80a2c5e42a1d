/* Skill suggestions (web/templates/web/forms/skills.html): choosing one replaces the words typed
   after the last comma with the suggested skill. htmx fetches the suggestions; without JavaScript
   the field is plain comma-separated text. */
document.addEventListener("click", function (event) {
  var button = event.target.closest(".jm-suggestion");
  if (!button) return;
  var region = button.closest("[data-for]");
  var field = document.getElementById(region.getAttribute("data-for"));
  var parts = field.value.split(",");
  parts[parts.length - 1] = button.getAttribute("data-skill");
  field.value = parts.map(function (p) { return p.trim(); }).filter(Boolean).join(", ") + ", ";
  region.innerHTML = "";
  field.focus();
});
