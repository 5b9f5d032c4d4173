// The registers' small enhancements. Everything works without them.
(function () {
  "use strict";

  // The appearance form: show the head's details or the absence reason, as chosen.
  document.querySelectorAll("[data-appearance-form]").forEach(function (form) {
    function update() {
      var chosen = form.querySelector("input[name=head_appeared]:checked");
      var value = chosen ? chosen.value : "";
      form.querySelectorAll("[data-when-head]").forEach(function (group) {
        group.hidden = value !== "" && group.getAttribute("data-when-head") !== value;
      });
    }
    form.addEventListener("change", update);
    update();
  });

  // The spreadsheet upload: show how much of a large file has been sent.
  document.querySelectorAll("[data-upload-progress]").forEach(function (form) {
    var bar = form.querySelector("progress");
    var note = form.querySelector("[data-progress-note]");
    form.addEventListener("submit", function (event) {
      if (!window.XMLHttpRequest || !window.FormData) { return; }
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.setRequestHeader("HX-Request", "true");
      bar.hidden = false;
      note.textContent = "正在上传……";
      request.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          bar.value = Math.round((e.loaded / e.total) * 100);
          note.textContent = e.loaded < e.total ? "正在上传 " + bar.value + "%" : "上传完毕，正在逐行核对，请稍候……";
        }
      });
      request.addEventListener("load", function () {
        var target = request.getResponseHeader("HX-Redirect");
        if (target) { window.location.assign(target); return; }
        // The file was refused: send the form the plain way to show the page with the message.
        note.textContent = "文件有问题，正在显示原因……";
        form.submit();
      });
      request.addEventListener("error", function () {
        note.textContent = "上传失败，请检查网络后重试。";
      });
      request.send(new FormData(form));
    });
  });
})();
