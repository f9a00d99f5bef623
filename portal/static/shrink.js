// Shrink photos on the phone before they are uploaded: a 4 MB camera photo
// becomes a few hundred KB, and its EXIF (GPS included) never leaves the
// phone.  Optional: without JavaScript the server does the same after upload.
(function () {
  var input = document.getElementById("foto");
  if (!input || !window.DataTransfer || !window.Promise || !HTMLCanvasElement.prototype.toBlob) return;
  var MAX = 1600;
  var button = input.form.querySelector("button[type=submit]");

  input.addEventListener("change", function () {
    var files = Array.prototype.slice.call(input.files);
    if (!files.length) return;
    button.disabled = true;
    Promise.all(files.map(shrink)).then(function (shrunk) {
      var list = new DataTransfer();
      shrunk.forEach(function (file) { list.items.add(file); });
      input.files = list.files;
    }).then(done, done);
  });

  function done() { button.disabled = false; }

  function shrink(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type)) return Promise.resolve(file);
    return new Promise(function (resolve) {
      var image = new Image();
      var url = URL.createObjectURL(file);
      image.onerror = function () { URL.revokeObjectURL(url); resolve(file); };
      image.onload = function () {
        var scale = Math.min(1, MAX / Math.max(image.naturalWidth, image.naturalHeight));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(image.naturalWidth * scale);
        canvas.height = Math.round(image.naturalHeight * scale);
        var context = canvas.getContext("2d");
        context.fillStyle = "#fff";  // transparent PNG areas become white, as on the server
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        canvas.toBlob(function (blob) {
          // Keep the original when shrinking would not make it smaller.
          if (!blob || blob.size >= file.size) return resolve(file);
          resolve(new File([blob], file.name.replace(/\.[^.]*$/, "") + ".jpg", {type: "image/jpeg"}));
        }, "image/jpeg", 0.85);
      };
      image.src = url;
    });
  }
})();
