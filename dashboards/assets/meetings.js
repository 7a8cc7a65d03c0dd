/* The meeting page: after a commitment is recorded, the cursor goes back to its first field so
   the next one can be typed straight away. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  meetings: {
    focusWhat: function () {
      window.setTimeout(function () {
        var field = document.getElementById("meeting-commit-what");
        if (field) { field.focus(); }
      }, 0);
      return window.dash_clientside.no_update;
    }
  }
});
