/** What the web site serves and who asks for it. */
export const PAGES: readonly (readonly [string, number])[] = [
  ['/', 20], ['/products/car-insurance', 10], ['/products/home-insurance', 7], ['/products/mobile-plans', 10],
  ['/products/broadband', 8], ['/quote/car', 4], ['/quote/home', 3], ['/shop/smartphones', 6], ['/shop/routers', 3],
  ['/shop/accessories', 3], ['/support', 5], ['/support/faq', 4], ['/contact', 3], ['/blog/save-on-car-insurance', 2],
  ['/blog/faster-home-wifi', 2], ['/search?q=roaming', 1], ['/search?q=claim', 1], ['/ru/tarify', 2],
];
export const ACCOUNT_PAGES: readonly string[] = ['/account', '/account/invoices', '/account/orders', '/account/profile', '/account/claims'];
export const ASSETS: readonly string[] = ['/static/app.js', '/static/app.css', '/static/logo.svg', '/favicon.ico'];

export const REFERRERS_US: readonly (readonly [string, number])[] = [
  ['-', 40], ['https://www.google.com/', 35], ['https://www.bing.com/', 5], ['https://mail.google.com/', 5], ['https://www.facebook.com/', 5],
];
export const REFERRERS_RU: readonly (readonly [string, number])[] = [
  ['-', 40], ['https://yandex.ru/', 35], ['https://www.google.com/', 15], ['https://vk.com/', 5], ['https://e.mail.ru/', 5],
];

export const BROWSERS: readonly string[] = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 YaBrowser/24.10.0.0 Safari/537.36',
];

/** [user agent, first octet of its addresses, paths it asks for] */
export const BOTS: readonly (readonly [string, string])[] = [
  ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', '66'],
  ['Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', '157'],
  ['Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)', '5'],
  ['Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)', '54'],
  ['curl/8.4.0', '203'],
  ['python-requests/2.31.0', '45'],
  ['Go-http-client/1.1', '34'],
];
export const BOT_PATHS: readonly string[] = ['/robots.txt', '/sitemap.xml', '/', '/products/car-insurance', '/products/broadband', '/wp-login.php', '/.env', '/api/health'];

export const US_IP_FIRST: readonly string[] = ['73', '98', '24', '67', '108', '174'];
export const RU_IP_FIRST: readonly string[] = ['95', '178', '188', '91', '85', '217'];
