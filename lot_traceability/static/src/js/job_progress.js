// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// The progress bar of a background job's form: it reloads the record every second while the
// job waits or runs, so the bar moves without a page reload; it stops when the job ends or
// the user leaves the form.
odoo.define("lot_traceability.job_progress", function (require) {
    "use strict";

    var basicFields = require("web.basic_fields");
    var fieldRegistry = require("web.field_registry");

    var JobProgress = basicFields.FieldProgressBar.extend({
        /** Poll while the job is open (its stored state is "queued"). */
        _render: function () {
            this._super.apply(this, arguments);
            var self = this;
            clearTimeout(this._reloadTimer);
            if (this.record.data.state === "queued" && this.mode === "readonly") {
                this._reloadTimer = setTimeout(function () {
                    if (self.$el.closest("body").length) {
                        self.trigger_up("reload");
                    }
                }, 1000);
            }
        },
        destroy: function () {
            clearTimeout(this._reloadTimer);
            this._super.apply(this, arguments);
        },
    });

    fieldRegistry.add("lot_job_progress", JobProgress);
    return JobProgress;
});
