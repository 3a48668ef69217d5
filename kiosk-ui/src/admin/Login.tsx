import { useState } from 'preact/hooks';
import { AdminApiError } from '../api/admin/http.js';
import { login, type StaffUser } from '../api/admin/staff.js';
import { defineStrings, useLang } from '../app/i18n.js';
import { errorText } from './context.js';
import { useCommon } from './strings.js';
import { Form, TextField, blank, type Errors } from './ui/fields.js';

const useStrings = defineStrings({
  zh: {
    heading: '工作人员登录',
    username: '用户名',
    password: '密码',
    submit: '登录',
    badLogin: '用户名或密码不对。',
    tooMany: '尝试次数太多，请一分钟后再试。',
    ended: '登录已过期，请重新登录。',
  },
  en: {
    heading: 'Staff login',
    username: 'User name',
    password: 'Password',
    submit: 'Log in',
    badLogin: 'Wrong user name or password.',
    tooMany: 'Too many tries; please wait a minute.',
    ended: 'The session has ended; please log in again.',
  },
});

/** The login form. The password lives only in this form's state and leaves in the POST body. */
export function Login(props: { onLogin: (user: StaffUser) => void; expired: boolean }) {
  const t = useStrings();
  const common = useCommon();
  const lang = useLang();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const next: Errors = {};
    if (blank(username)) next.username = common.required;
    if (password.length === 0) next.password = common.required;
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const user = await login(username.trim(), password);
      setPassword('');
      props.onLogin(user);
    } catch (err) {
      const status = err instanceof AdminApiError ? err.status : 0;
      setFailure(status === 401 ? t.badLogin : status === 429 ? t.tooMany : errorText(err, lang, common));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="login">
      {props.expired ? <p class="note note-warn">{t.ended}</p> : null}
      <Form title={t.heading} onSubmit={() => void submit()} busy={busy} submitLabel={t.submit} testid="login">
        <TextField name="username" label={t.username} value={username} onInput={setUsername} errors={errors} autocomplete="username" maxLength={64} />
        <TextField name="password" label={t.password} type="password" value={password} onInput={setPassword} errors={errors} autocomplete="current-password" maxLength={256} />
        {failure ? (
          <p class="note note-error" role="alert" data-testid="login-error">
            {failure}
          </p>
        ) : null}
      </Form>
    </div>
  );
}
