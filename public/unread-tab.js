// The browser tab says what waits unread, as mail and chat apps do: "(3) Parley" and the favicon with a red
// badge; both are plain again once everything is read.
const title = document.title;
const icon = document.querySelector('link[rel="icon"]');
const plainIcon = icon.getAttribute('href');
const badge = "%3Ccircle cx='26' cy='6' r='6' fill='%23dc2626' stroke='white' stroke-width='1.5'/%3E";
const badgedIcon = plainIcon.replace(/%3C\/svg%3E$/, `${badge}%3C/svg%3E`);

export function showUnreadInTab(total) {
  document.title = total > 0 ? `(${total}) ${title}` : title;
  icon.setAttribute('href', total > 0 ? badgedIcon : plainIcon);
}
