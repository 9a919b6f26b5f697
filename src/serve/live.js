// gongshi serve only: reload the page when the site is rebuilt, and show content errors over it.
(function () {
  var box = null;
  function show(errors) {
    if (!errors.length) {
      if (box) { box.remove(); box = null; }
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "gongshi-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;background:#fff4f4;color:#7a0000;border-top:4px solid #a4161a;padding:1rem;font:16px/1.6 monospace;z-index:99999;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "内容有错误，下面仍显示上一次成功生成的网站：\n\n" + errors.join("\n\n");
  }
  function check() {
    fetch("/__gongshi/status", { cache: "no-store" }).then(function (r) { return r.json(); })
      .then(function (s) { show(s.errors || []); }).catch(function () {});
  }
  check();
  var events = new EventSource("/__gongshi/events");
  events.addEventListener("reload", function () {
    fetch("/__gongshi/status", { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (s) {
      if (s.errors && s.errors.length) { show(s.errors); } else { location.reload(); }
    });
  });
})();
