/* Demo only: a stand-in for a statistics script. It runs only after consent for "analytics"
   and then places its (non-necessary) cookie. */
document.cookie = '_stats_id=demo' + Math.floor(Math.random() * 1e9) + '; Max-Age=34128000; Path=/; SameSite=Lax';
document.documentElement.setAttribute('data-demo-analytics', 'on');
