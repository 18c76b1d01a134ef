/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
odoo.define('lot_traceability.scan_focus', function (require) {
"use strict";

/**
 * The addon's scan screens (Scan, Receive Lots) open with the cursor in their scan field.
 *
 * Odoo's barcodes module turns a form's autofocus off when the form listens for barcodes, so
 * that a scan does not also land in a field. A field marked ``default_focus`` is a scan
 * field: a scan typed into it is read by the field alone (the listener ignores keys aimed
 * at inputs), so that field is focused all the same.
 */
var FormController = require('web.FormController');

FormController.include({
    autofocus: function () {
        this._super.apply(this, arguments);
        var widget = this.renderer && this.renderer.defaultFocusField;
        if (this.disableAutofocus && this.renderer.mode !== 'readonly' && widget &&
                widget.isFocusable()) {
            widget.activate({noselect: true});
        }
    },
});

});
