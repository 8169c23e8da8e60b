/* Demo only: a stand-in for an advertising script. It runs only after consent for
   "advertising" and then places its (non-necessary) cookie. */
document.cookie = '_ad_id=demo' + Math.floor(Math.random() * 1e9) + '; Max-Age=7776000; Path=/; SameSite=Lax';
document.documentElement.setAttribute('data-demo-ads', 'on');
