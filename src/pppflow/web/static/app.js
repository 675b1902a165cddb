// pppflow's only script: on a narrow screen, scroll the lifecycle diagram so the current stage is in view.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".diagram").forEach(function (box) {
    var current = box.querySelector(".node.current rect");
    if (!current || box.scrollWidth <= box.clientWidth) return;
    var left = current.getBoundingClientRect().left - box.getBoundingClientRect().left;
    box.scrollLeft = Math.max(0, left - box.clientWidth / 3);
  });
});
