import { refusedDestination } from '../../activities/flow/network-policy';

// Tenants' http.request nodes must not reach our own network by default (SSRF).
describe('outbound destinations of http.request nodes', () => {
  it.each([
    'http://127.0.0.1:5432/',
    'http://localhost:3000/api',
    'http://10.1.2.3/',
    'http://172.20.0.1/',
    'http://192.168.1.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]:8080/',
    'http://[fd00::1]/',
    'http://0.0.0.0/',
    'http://[::ffff:127.0.0.1]/',
  ])('refuses %s', async (url) => {
    expect(await refusedDestination(new URL(url), false)).toMatch(/internal address/);
  });

  it('refuses other schemes', async () => {
    expect(await refusedDestination(new URL('file:///etc/passwd'), false)).toMatch(/only http and https/);
  });

  it('allows public addresses, and private ones when configured', async () => {
    expect(await refusedDestination(new URL('https://93.184.215.14/'), false)).toBeUndefined();
    expect(await refusedDestination(new URL('https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/'), false)).toBeUndefined();
    expect(await refusedDestination(new URL('http://127.0.0.1:5432/'), true)).toBeUndefined();
  });
});
