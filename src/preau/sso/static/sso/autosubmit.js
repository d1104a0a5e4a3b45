// SAML's HTTP-POST binding: the form carrying the message goes at once (the button stays for
// browsers without JavaScript).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-autosubmit]");
  if (form) form.submit();
});
