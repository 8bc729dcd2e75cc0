import { By, Key } from 'selenium-webdriver';
import type { Browser } from '../browser';

/** A date as the back office's en_US date inputs take it (MM/DD/YYYY). */
export function usDate(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${date.getUTCFullYear()}`;
}

const field = (name: string): string =>
  `.o_form_view:not(.o_form_readonly) div.o_field_widget[name="${name}"]`;

/**
 * The Odoo 19 back office as a person uses it: menus, list and form views, buttons and dialogs,
 * every action a click or keystroke, every wait an explicit condition on the page.
 */
export class BackOffice {
  constructor(
    readonly browser: Browser,
    readonly url: string,
  ) {}

  async login(login: string, password: string): Promise<void> {
    await this.browser.go(`${this.url}/web/login`);
    await this.browser.type('input#login', login, 'the login field');
    await this.browser.type('input#password', password, 'the password field');
    await this.browser.click('form.oe_login_form button[type="submit"]', 'the log in button');
    await this.browser.visible('.o_main_navbar', 'the back office navbar');
  }

  /** Opens an app from the apps menu, then a section and a menu item of its top bar (by XML id). */
  async openMenu(app: string, ...path: string[]): Promise<void> {
    await this.browser.click('.o_navbar_apps_menu button', 'the apps menu');
    await this.browser.click(`.o_app[data-menu-xmlid="${app}"]`, `the ${app} app`);
    await this.browser.visible(`.o_menu_sections`, 'the app menu bar');
    for (const xmlid of path) await this.browser.click(`[data-menu-xmlid="${xmlid}"]`, `menu ${xmlid}`);
    await this.actionLoaded();
  }

  /** Closes the chat windows Discuss opens by itself (a new portal user's direct chat): they cover the view. */
  async closeChatWindows(): Promise<void> {
    const close = '.o-mail-ChatWindow-header [title^="Close Chat Window"]';
    while (await this.browser.isDisplayed(close)) {
      await this.browser.click(close, 'the chat window close button');
      await this.browser.gone('.o-mail-ChatWindow', 'the chat window');
    }
  }

  /** The value of a field as shown: an input's value or the widget's text. */
  async fieldValue(name: string): Promise<string> {
    let value = '';
    await this.browser.until(`field ${name}`, async () => {
      const widget = await this.browser.visible(
        `.o_form_view div.o_field_widget[name="${name}"]`,
        `field ${name}`,
      );
      const inputs = await widget.findElements(By.css('input'));
      value =
        (inputs[0] === undefined ? await widget.getText() : await inputs[0].getAttribute('value')) ?? '';
      return true;
    });
    return value;
  }

  /** The current action's view has rendered (its control panel is there, no blocking overlay). */
  async actionLoaded(): Promise<void> {
    await this.browser.visible('.o_action_manager .o_action', 'the view');
    await this.browser.gone('.o_blockUI', 'the loading overlay');
  }

  async newRecord(): Promise<void> {
    await this.browser.click(
      '.o_control_panel_main_buttons .o_list_button_add, .o_control_panel_main_buttons .o-kanban-button-new',
      'the New button',
    );
    await this.browser.visible('.o_form_view .o_form_editable', 'an editable form');
  }

  async fill(name: string, text: string): Promise<void> {
    await this.browser.type(`${field(name)} input, ${field(name)} textarea`, text, `field ${name}`);
  }

  /** Types a date, as a person would: a date already set shows as a button that becomes an input on click. */
  async fillDate(name: string, date: Date): Promise<void> {
    const input = `${field(name)} input`;
    await this.browser.until(`the date input of ${name}`, async () => {
      if (await this.browser.isDisplayed(input)) return true;
      const button = `${field(name)} button.o_input`;
      if (await this.browser.isDisplayed(button)) await this.browser.click(button, `the date of ${name}`);
      return false;
    });
    await this.browser.type(input, usDate(date), `the date of ${name}`);
    await (await this.browser.visible(input)).sendKeys(Key.ENTER);
    await this.browser.gone('.o_datetime_picker', 'the date picker');
  }

  /** Chooses `label` in a selection field's menu. */
  async select(name: string, label: string): Promise<void> {
    await this.browser.click(`${field(name)} .o_select_menu_toggler`, `field ${name}`);
    await this.browser.clickText(
      '.o_select_menu_menu .o_select_menu_item',
      label,
      `${label} in ${name}'s menu`,
    );
    await this.browser.gone('.o_select_menu_menu', `${name}'s menu`);
  }

  /** Picks `text` in a many2one's autocomplete. */
  async pick(name: string, text: string): Promise<void> {
    await this.fill(name, text);
    // A record of the list, never its "Create …" or "Search more…" entries (whose labels contain the text too).
    await this.browser.clickText(
      `${field(name)} .o-autocomplete--dropdown-item:not(.o_m2o_dropdown_option):not(.o_m2o_no_result) a`,
      text,
      `${text} in ${name}'s list`,
    );
    await this.closeDropdown(name);
  }

  /**
   * Leaves a many2one with its list closed. A search still pending from the last keystroke may
   * reopen the list after the choice; a click beside the field (on the sheet) closes it, as a
   * person would.
   */
  private async closeDropdown(name: string): Promise<void> {
    const menu = `${field(name)} .o-autocomplete--dropdown-menu`;
    await this.browser.until(`${name}'s list to close`, async () => {
      if (!(await this.browser.isDisplayed(menu))) return !(await this.browser.appears(menu, 500));
      await this.browser.click('.o_form_sheet .oe_title', 'the form title');
      return false;
    });
  }

  /** Types a new name in a many2one and opens "Create and edit..." (a dialog with its form). */
  async createAndEdit(name: string, text: string): Promise<void> {
    await this.fill(name, text);
    await this.browser.click(`${field(name)} .o_m2o_dropdown_option_create_edit a`, 'Create and edit...');
    await this.browser.visible('.modal .o_form_view', 'the dialog form');
  }

  async fillInDialog(name: string, text: string): Promise<void> {
    await this.browser.type(
      `.modal div.o_field_widget[name="${name}"] input`,
      text,
      `field ${name} of the dialog`,
    );
  }

  async saveDialog(): Promise<void> {
    await this.browser.click('.modal .modal-footer .o_form_button_save', 'the dialog Save button');
    await this.browser.gone('.modal .o_form_view', 'the dialog');
  }

  async tab(name: string): Promise<void> {
    await this.browser.click(`.o_notebook_headers a[name="${name}"]`, `tab ${name}`);
  }

  /** Saves the form and waits until it has nothing left to save. */
  async save(): Promise<void> {
    await this.browser.click('.o_form_status_indicator .o_form_button_save', 'the Save button');
    await this.browser.until('the record saved', async () => {
      await this.refused();
      return !(await this.browser.isDisplayed('.o_form_status_indicator .o_form_button_save'));
    });
  }

  /** Clicks a button of the form's header or button box by its method name. */
  async button(name: string): Promise<void> {
    await this.browser.click(`.o_form_view button[name="${name}"]`, `button ${name}`);
  }

  /** Throws Odoo's message when it answered with an error dialog (a validation or user error). */
  async refused(): Promise<void> {
    const dialog = '.modal .o_error_dialog, .modal .o_dialog_error';
    if (await this.browser.isDisplayed(dialog)) {
      throw new Error(`Odoo refused: ${await this.browser.text('.modal .modal-body')}`);
    }
  }

  /** Waits until the status bar shows `label`; an error dialog instead ends the wait with its message. */
  async status(label: string): Promise<void> {
    await this.browser.until(`status ${label}`, async () => {
      await this.refused();
      const current = await this.browser.text('.o_statusbar_status .o_arrow_button_current');
      return current.trim() === label;
    });
  }

  /**
   * Clicks a button that opens another view and waits for that view (`css`). A click that lands
   * while the form re-renders after its previous action is lost; then it is clicked again.
   */
  async buttonTo(name: string, css: string): Promise<void> {
    await this.browser.until(`button ${name} to open ${css}`, async () => {
      if (await this.browser.isDisplayed(css)) return true;
      await this.browser.click(`.o_form_view button[name="${name}"]`, `button ${name}`);
      return this.browser.appears(css, 5_000);
    });
    await this.actionLoaded();
  }

  /** Answers Ok to a confirmation dialog. */
  async confirm(): Promise<void> {
    await this.browser.clickText('.modal .modal-footer button.btn-primary', 'Ok', 'Ok of the confirmation');
    await this.browser.gone('.modal', 'the confirmation');
  }

  async dialogButton(name: string): Promise<void> {
    await this.browser.click(`.modal button[name="${name}"]`, `dialog button ${name}`);
    await this.browser.gone('.modal', 'the dialog');
  }

  async fieldText(name: string): Promise<string> {
    return this.browser.text(`.o_form_view div.o_field_widget[name="${name}"]`);
  }

  /** The record id of the open form, from the URL. */
  async recordId(): Promise<number> {
    let id: number | undefined;
    await this.browser.until('a record id in the URL', async () => {
      const match = /\/(\d+)(?:[?#].*)?$/.exec(await this.browser.driver.getCurrentUrl());
      id = match === null ? undefined : Number(match[1]);
      return id !== undefined;
    });
    if (id === undefined) throw new Error('no record id in the URL');
    return id;
  }

  async breadcrumb(text: string): Promise<void> {
    await this.browser.clickText('.o_breadcrumb .breadcrumb-item a', text, `breadcrumb ${text}`);
    await this.actionLoaded();
  }

  /**
   * Reloads the list until every row's `column` badge reads `label`: another process (the
   * provisioner) changes the records, and a list view shows them on reload.
   */
  async listBadgesAll(column: string, label: string, timeoutMs: number): Promise<void> {
    await this.browser.until(
      `every ${column} to read ${label}`,
      async () => {
        await this.browser.driver.navigate().refresh();
        await this.actionLoaded();
        const badges = await this.browser.driver.findElements(By.css(`.o_data_row td[name="${column}"]`));
        if (badges.length === 0) return false;
        const texts = await Promise.all(badges.map((b) => b.getText()));
        return texts.every((t) => t.trim() === label);
      },
      timeoutMs,
    );
  }

  /** Types in the search box and confirms. */
  async search(text: string): Promise<void> {
    await this.browser.type('.o_searchview_input', text, 'the search box');
    const input = await this.browser.visible('.o_searchview_input');
    await input.sendKeys(Key.ENTER);
    await this.actionLoaded();
  }

  async openRow(text: string): Promise<void> {
    // The row's first cell: chat windows may cover the right of the list.
    const row = await this.browser.withText('.o_data_row', text, `row ${text}`);
    await this.browser.clickElement(await row.findElement(By.css('td.o_data_cell')));
    await this.browser.visible('.o_form_view', 'the record form');
  }
}
