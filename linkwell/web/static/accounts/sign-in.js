// The sign-in pages: move focus to the error summary, as GOV.UK's pattern does, so that
// screen readers and keyboards start at what went wrong.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
});
