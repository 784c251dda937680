/* Character count for text boxes with data-maxlength (progressive enhancement: without
   JavaScript the hint under the label states the limit and the server enforces it).
   The visible count updates at once; screen readers hear it only when typing pauses. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-count-remaining]");
  if (!form) { return; }
  var remaining = form.getAttribute("data-count-remaining");
  var over = form.getAttribute("data-count-over");
  Array.prototype.forEach.call(form.querySelectorAll("textarea[data-maxlength]"), function (box) {
    var limit = parseInt(box.getAttribute("data-maxlength"), 10);
    var shown = document.createElement("p");
    shown.className = "hint character-count";
    shown.setAttribute("aria-hidden", "true");
    var spoken = document.createElement("p");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    box.insertAdjacentElement("afterend", spoken);
    box.insertAdjacentElement("afterend", shown);
    var timer = null;
    function text() {
      var left = limit - box.value.length;
      return left >= 0
        ? remaining.replace("%(count)s", String(left))
        : over.replace("%(count)s", String(-left));
    }
    function update(speak) {
      var left = limit - box.value.length;
      shown.textContent = text();
      shown.classList.toggle("character-count-over", left < 0);
      if (speak) {
        clearTimeout(timer);
        timer = setTimeout(function () { spoken.textContent = text(); }, 1000);
      }
    }
    box.addEventListener("input", function () { update(true); });
    update(false);
  });
})();
