import { ClaimList } from './ClaimList';

/** The reviewers' inbox: the claims waiting for the user's own step. */
export default function Inbox() {
  return <ClaimList inbox />;
}
